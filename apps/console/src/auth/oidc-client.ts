import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { CONSOLE_CONFIG } from '../console-config.token';
import type { ConsoleConfig } from '../config';
import { TokenRefused, TokenVerifier } from './token-verifier';

/** The realm role that lets the order API show every customer's orders, and that the console requires. */
export const ADMIN_ROLE = 'admin';

/** What the console keeps of a sign-in: the tokens, and who they are for. */
export interface TokenSet {
  user: string;
  /** The user's name and email as the identity provider knows them (test orders are placed in their name). */
  name: string | null;
  email: string | null;
  roles: string[];
  accessToken: string;
  accessExpiresAt: number;
  refreshToken: string | null;
  /** The ID token, which signing out hands back to the identity provider (its id_token_hint). */
  idToken: string | null;
  /** When the identity provider's session ends for good (the refresh token's expiry). */
  sessionExpiresAt: number;
}

/** The identity provider refused a code or a refresh token (`refused`), or did not answer. */
export class SignInError extends Error {
  constructor(
    message: string,
    readonly refused: boolean,
  ) {
    super(message);
  }
}

/** A random PKCE verifier and its S256 challenge (RFC 7636). */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** A random value for a sign-in's `state` or `nonce`. */
export const randomToken = () => randomBytes(24).toString('base64url');

/**
 * The console's side of OpenID Connect with the shop's realm: authorization code with PKCE and a
 * nonce through a public client, the code exchanged here in the backend, so the browser never
 * holds a token (it holds a session cookie). Nothing of a token is believed before it is verified
 * (TokenVerifier): the ID token of a sign-in must carry this sign-in's nonce, and the user and
 * roles come from the verified access token.
 */
@Injectable()
export class OidcClient {
  private readonly verifier: TokenVerifier;

  constructor(@Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig) {
    this.verifier = new TokenVerifier(config.OIDC_ISSUER, `${config.OIDC_BACKCHANNEL_URL}/protocol/openid-connect/certs`, config.CONSOLE_OIDC_CLIENT_ID);
  }

  get redirectUri(): string {
    return `${this.config.CONSOLE_PUBLIC_URL}/auth/callback`;
  }

  authorizeUrl(state: string, challenge: string, nonce: string): string {
    const params = new URLSearchParams({
      client_id: this.config.CONSOLE_OIDC_CLIENT_ID,
      response_type: 'code',
      scope: 'openid',
      redirect_uri: this.redirectUri,
      state,
      nonce,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    return `${this.config.OIDC_ISSUER}/protocol/openid-connect/auth?${params}`;
  }

  /** The code of a sign-in for its tokens; its ID token must carry the sign-in's `nonce`. */
  exchange(code: string, verifier: string, nonce: string): Promise<TokenSet> {
    return this.token({ grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: this.redirectUri }, nonce);
  }

  refresh(refreshToken: string): Promise<TokenSet> {
    return this.token({ grant_type: 'refresh_token', refresh_token: refreshToken });
  }

  /**
   * Where the browser ends its session with the identity provider (RP-initiated logout); it comes
   * back to the console's start page, which the client allows (post.logout.redirect.uris).
   */
  endSessionUrl(idToken: string | null): string {
    const params = new URLSearchParams({
      client_id: this.config.CONSOLE_OIDC_CLIENT_ID,
      post_logout_redirect_uri: `${this.config.CONSOLE_PUBLIC_URL}/`,
      ...(idToken && { id_token_hint: idToken }),
    });
    return `${this.config.OIDC_ISSUER}/protocol/openid-connect/logout?${params}`;
  }

  /** Whether the realm answers its discovery document: the console's readiness. */
  async reachable(): Promise<boolean> {
    const res = await fetch(`${this.config.OIDC_BACKCHANNEL_URL}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(3_000) });
    return res.ok;
  }

  private async token(grant: Record<string, string>, nonce?: string): Promise<TokenSet> {
    const url = `${this.config.OIDC_BACKCHANNEL_URL}/protocol/openid-connect/token`;
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ client_id: this.config.CONSOLE_OIDC_CLIENT_ID, ...grant }),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      throw new SignInError(`the identity provider does not answer at ${url} (${(error as Error).message})`, false);
    }
    const body = (await res.json().catch(() => ({}))) as { access_token?: string; expires_in?: number; refresh_token?: string; refresh_expires_in?: number; id_token?: string; error_description?: string };
    if (!res.ok || !body.access_token) throw new SignInError(`the identity provider refused the ${grant['grant_type']} grant: HTTP ${res.status} ${body.error_description ?? ''}`.trim(), res.status >= 400 && res.status < 500);
    let user: Awaited<ReturnType<TokenVerifier['accessToken']>>;
    try {
      if (nonce !== undefined) {
        if (!body.id_token) throw new TokenRefused('the identity provider answered the sign-in without an ID token');
        await this.verifier.idToken(body.id_token, nonce);
      }
      user = await this.verifier.accessToken(body.access_token);
    } catch (error) {
      if (!(error instanceof TokenRefused)) throw error;
      throw new SignInError(error.message, !error.outage);
    }
    const now = Date.now();
    return {
      ...user,
      accessToken: body.access_token,
      accessExpiresAt: now + (body.expires_in ?? 60) * 1000,
      refreshToken: body.refresh_token ?? null,
      idToken: body.id_token ?? null,
      sessionExpiresAt: now + (body.refresh_expires_in ?? body.expires_in ?? 60) * 1000,
    };
  }
}
