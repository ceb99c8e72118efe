import { createParamDecorator, ForbiddenException, Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { CONSOLE_CONFIG } from '../console-config.token';
import type { ConsoleConfig } from '../config';
import { SESSION_COOKIE, readCookie } from './cookies';
import { requireCsrfToken, type CsrfRequest } from './csrf';
import { ADMIN_ROLE } from './oidc-client';
import { Sessions, type Session } from './sessions';

interface ConsoleRequest extends CsrfRequest {
  headers: CsrfRequest['headers'] & { cookie?: string };
  consoleSession?: Session;
}

/**
 * The console's API is for the shop's admins: 401 without a session (the page then sends the
 * browser to /auth/login), 403 for a signed-in user without the realm role `admin`, and 403 for a
 * state-changing request without the session's CSRF token (requireCsrfToken).
 */
@Injectable()
export class AdminGuard implements CanActivate {
  private readonly origin: string;

  constructor(
    private readonly sessions: Sessions,
    @Inject(CONSOLE_CONFIG) config: ConsoleConfig,
  ) {
    this.origin = new URL(config.CONSOLE_PUBLIC_URL).origin;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<ConsoleRequest>();
    const session = await this.sessions.get(readCookie(typeof request.headers.cookie === 'string' ? request.headers.cookie : undefined, SESSION_COOKIE));
    if (!session) throw new UnauthorizedException({ type: 'about:blank', title: 'Not signed in', status: 401, detail: 'Sign in through the shop’s identity provider.', signIn: '/auth/login' });
    if (!session.roles.includes(ADMIN_ROLE)) {
      throw new ForbiddenException({ type: 'about:blank', title: 'Not an admin', status: 403, detail: `${session.user} lacks the realm role '${ADMIN_ROLE}', which the console needs.` });
    }
    requireCsrfToken(request, session.csrfToken, this.origin);
    request.consoleSession = session;
    return true;
  }
}

function sessionOf(context: ExecutionContext): Session {
  const session = context.switchToHttp().getRequest<ConsoleRequest>().consoleSession;
  if (!session) throw new Error('a session parameter used on a route without AdminGuard');
  return session;
}

/** The signed-in admin's access token, for calls to the shop's APIs on their behalf (after AdminGuard). */
export const AccessToken = createParamDecorator((_: unknown, context: ExecutionContext): string => sessionOf(context).accessToken);

/** The signed-in admin's session (after AdminGuard). */
export const SignedIn = createParamDecorator((_: unknown, context: ExecutionContext): Session => sessionOf(context));
