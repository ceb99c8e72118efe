import type { Principal } from '@shop/platform';

/**
 * Whom the API's rate limit counts a request against: the signed-in customer (one budget however
 * many addresses they come from, and customers behind one proxy do not share theirs), or, on the
 * public routes, the client address.
 */
export const rateLimitTracker = (req: { user?: Principal; ip?: string }): string => (req.user ? `customer:${req.user.subject}` : `address:${req.ip}`);
