import { ForbiddenException } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';

/** The header the console's web app sends its session's CSRF token in (GET /auth/me gives it). */
export const CSRF_HEADER = 'x-csrf-token';

/** Methods that change something: they need the token. */
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface CsrfRequest {
  method: string;
  headers: Record<string, string | string[] | undefined>;
}

/**
 * A state-changing request of a signed-in browser must prove it comes from the console's own page,
 * beyond SameSite=Lax (every port of 127.0.0.1 is the same site, so another local page could post
 * with the session cookie): it carries the session's CSRF token in a header, which another origin
 * can neither read (GET /auth/me is same-origin only) nor set on a cross-site form; and an Origin
 * header, when the browser sends one, is the console's own. Throws 403 problem+json otherwise.
 */
export function requireCsrfToken(request: CsrfRequest, sessionToken: string, consoleOrigin: string): void {
  if (!UNSAFE.has(request.method.toUpperCase())) return;
  const origin = request.headers['origin'];
  if (typeof origin === 'string' && origin !== consoleOrigin) refuse(`the request comes from ${origin}, not from the console (${consoleOrigin})`);
  const sent = request.headers[CSRF_HEADER];
  if (typeof sent !== 'string' || sent.length === 0) refuse(`a ${request.method} needs the session's CSRF token in the ${CSRF_HEADER} header (GET /auth/me gives it)`);
  const a = Buffer.from(sent);
  const b = Buffer.from(sessionToken);
  if (a.length !== b.length || !timingSafeEqual(a, b)) refuse(`the ${CSRF_HEADER} header is not this session's CSRF token`);
}

function refuse(detail: string): never {
  throw new ForbiddenException({ type: 'about:blank', title: 'Cross-site request refused', status: 403, code: 'CONSOLE.CSRF', detail });
}
