import { isAdmin, type Principal } from '@shop/platform';

/**
 * Whether `viewer` may see (and cancel) an order of `customerId`: its customer, or an admin.
 * Everyone else is told the order does not exist (404), so other customers' order ids reveal nothing.
 */
export const maySee = (viewer: Principal, customerId: string) => isAdmin(viewer) || viewer.subject === customerId;
