import { BadRequestException, Controller, Get, HttpCode, Inject, Post, Query, Req, Res, UnauthorizedException } from '@nestjs/common';
import { CONSOLE_CONFIG } from '../console-config.token';
import type { Me } from '@shop/console-api';
import type { ConsoleConfig } from '../config';
import { readCookie, SESSION_COOKIE, setCookie, SIGN_IN_COOKIE } from './cookies';
import { requireCsrfToken, type CsrfRequest } from './csrf';
import { ADMIN_ROLE, OidcClient } from './oidc-client';
import { Sessions } from './sessions';

interface Request extends CsrfRequest {
  headers: CsrfRequest['headers'] & { cookie?: string };
}
interface Response {
  setHeader(name: string, value: string | string[]): void;
  redirect(status: number, url: string): void;
}

/** How long the browser may take on the login page, in seconds (the sign-in cookie's lifetime). */
const SIGN_IN_SECONDS = 600;

/**
 * Sign-in through the shop's identity provider: /auth/login sends the browser to its login page
 * (authorization code with PKCE), /auth/callback takes the code back, exchanges it here and gives
 * the browser a session cookie; /auth/me says who is signed in; /auth/logout ends the session.
 */
@Controller('auth')
export class AuthController {
  constructor(
    @Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig,
    private readonly sessions: Sessions,
    private readonly oidc: OidcClient,
  ) {}

  @Get('login')
  login(@Query('returnTo') returnTo: string | undefined, @Res() res: Response): void {
    const { state, url } = this.sessions.begin(localPath(returnTo));
    res.setHeader('set-cookie', setCookie(SIGN_IN_COOKIE, state, { path: '/auth', maxAgeSeconds: SIGN_IN_SECONDS, secure: this.secure }));
    res.redirect(302, url);
  }

  @Get('callback')
  async callback(@Query('state') state: string | undefined, @Query('code') code: string | undefined, @Query('error_description') error: string | undefined, @Req() req: Request, @Res() res: Response): Promise<void> {
    if (error) throw new BadRequestException({ type: 'about:blank', title: 'Sign-in refused', status: 400, detail: error });
    const begun = readCookie(req.headers.cookie, SIGN_IN_COOKIE);
    const done = state && code && state === begun ? await this.sessions.complete(state, code) : null;
    if (!done) throw new BadRequestException({ type: 'about:blank', title: 'Sign-in expired', status: 400, detail: 'This sign-in expired or began in another browser: open the console again.' });
    const { session, returnTo } = done;
    res.setHeader('set-cookie', [
      setCookie(SESSION_COOKIE, session.id, { path: '/', maxAgeSeconds: (session.sessionExpiresAt - Date.now()) / 1000, secure: this.secure }),
      setCookie(SIGN_IN_COOKIE, '', { path: '/auth', maxAgeSeconds: 0, secure: this.secure }),
    ]);
    res.redirect(302, returnTo);
  }

  @Get('me')
  async me(@Req() req: Request): Promise<Me> {
    const session = await this.sessions.get(readCookie(req.headers.cookie, SESSION_COOKIE));
    if (!session) throw new UnauthorizedException({ type: 'about:blank', title: 'Not signed in', status: 401, signIn: '/auth/login' });
    return { user: session.user, roles: session.roles, admin: session.roles.includes(ADMIN_ROLE), csrfToken: session.csrfToken };
  }

  /**
   * Ends the console's session and answers where the browser ends the identity provider's (a POST
   * with the session's CSRF token: no other page can sign anyone out).
   */
  @Post('logout')
  @HttpCode(200)
  logout(@Req() req: Request, @Res({ passthrough: true }) res: Response): { endSessionUrl: string } {
    const id = readCookie(req.headers.cookie, SESSION_COOKIE);
    const session = this.sessions.peek(id);
    if (session) requireCsrfToken(req, session.csrfToken, new URL(this.config.CONSOLE_PUBLIC_URL).origin);
    const { idToken } = this.sessions.end(id);
    res.setHeader('set-cookie', setCookie(SESSION_COOKIE, '', { path: '/', maxAgeSeconds: 0, secure: this.secure }));
    return { endSessionUrl: this.oidc.endSessionUrl(idToken) };
  }

  private get secure(): boolean {
    return this.config.CONSOLE_PUBLIC_URL.startsWith('https:');
  }
}

/** Where to go after signing in: a path of this site only (never another origin: no open redirect). */
export function localPath(returnTo: string | undefined): string {
  return returnTo && /^\/(?![/\\])/.test(returnTo) ? returnTo : '/';
}
