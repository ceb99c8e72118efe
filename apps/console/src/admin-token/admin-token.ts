import { Inject, Injectable } from '@nestjs/common';
import { CONSOLE_CONFIG } from '../console-config.token';
import type { ConsoleConfig } from '../config';

/** The realm role that lets the order API show every customer's orders. */
export const ADMIN_ROLE = 'admin';

/** Keycloak would not sign the console's user in, or the user is not an admin: the console can show nothing. */
export class AdminSignInError extends Error {}

/**
 * The access token the console reads the shop with: the configured admin user's, by password
 * grant, kept until 30 s before it expires and shared by concurrent requests (a page polling
 * every second asks Keycloak once per token lifetime, not once per poll).
 *
 * The role is checked here, from the token's claims, only to fail with a clear message: the
 * order API verifies the token's signature and enforces the role itself.
 */
@Injectable()
export class AdminToken {
  private current: { token: string; renewAt: number } | null = null;
  private pending: Promise<string> | null = null;

  constructor(@Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig) {}

  get user(): string {
    return this.config.CONSOLE_ADMIN_USER;
  }

  async get(): Promise<string> {
    if (this.current && Date.now() < this.current.renewAt) return this.current.token;
    this.pending ??= this.signIn().finally(() => (this.pending = null));
    return this.pending;
  }

  private async signIn(): Promise<string> {
    const { OIDC_ISSUER, CONSOLE_OIDC_CLIENT_ID, CONSOLE_ADMIN_USER, CONSOLE_ADMIN_PASSWORD } = this.config;
    let res: Response;
    try {
      res = await fetch(`${OIDC_ISSUER}/protocol/openid-connect/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'password', client_id: CONSOLE_OIDC_CLIENT_ID, username: CONSOLE_ADMIN_USER, password: CONSOLE_ADMIN_PASSWORD }),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      throw new AdminSignInError(`the identity provider at ${OIDC_ISSUER} does not answer (${(error as Error).message})`);
    }
    const body = (await res.json().catch(() => ({}))) as { access_token?: string; expires_in?: number; error_description?: string };
    if (!res.ok || !body.access_token) {
      throw new AdminSignInError(`${OIDC_ISSUER} refused to sign ${CONSOLE_ADMIN_USER} in: HTTP ${res.status} ${body.error_description ?? ''}`.trim());
    }
    if (!rolesOf(body.access_token).includes(ADMIN_ROLE)) {
      throw new AdminSignInError(`${CONSOLE_ADMIN_USER} lacks the realm role '${ADMIN_ROLE}', which the console needs to read every order`);
    }
    this.current = { token: body.access_token, renewAt: Date.now() + ((body.expires_in ?? 60) - 30) * 1000 };
    return body.access_token;
  }
}

/** The realm roles a Keycloak access token carries (claim realm_access.roles). */
export function rolesOf(accessToken: string): string[] {
  const payload = accessToken.split('.')[1];
  if (!payload) throw new AdminSignInError('the identity provider answered with an access token that is not a JWT');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { realm_access?: { roles?: unknown } };
  const roles = claims.realm_access?.roles;
  return Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : [];
}
