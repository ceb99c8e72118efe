import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { OidcClient, pkcePair, randomToken, SignInError, type TokenSet } from './oidc-client';

/** A signed-in browser: its cookie's id, its tokens, and the CSRF token its page sends with each change. */
export interface Session extends TokenSet {
  id: string;
  csrfToken: string;
}

/** A sign-in under way: what the callback needs to finish it. */
interface PendingSignIn {
  verifier: string;
  /** Sent with the authorization request; the ID token must carry it back (no replayed token). */
  nonce: string;
  returnTo: string;
  expiresAt: number;
}

/** How long a browser may take on the identity provider's login page. */
const SIGN_IN_TIMEOUT_MS = 10 * 60_000;
/**
 * Sign-ins under way kept at most: anyone can start one (GET /auth/login needs no session), so
 * without a bound a loop of requests would fill the memory within the ten minutes. Past it the
 * oldest is forgotten (its browser, if any, is sent to sign in again).
 */
export const MAX_PENDING_SIGN_INS = 1_000;
/** Access tokens are renewed this long before they expire, so a request never carries one about to lapse. */
const RENEW_BEFORE_MS = 30_000;

/**
 * Sessions in this process's memory: a restart signs everyone out, and replicas would each need
 * their own sign-in (one console replica is what the shop runs). Sessions end with the identity
 * provider's session (the refresh token's lifetime), and are dropped as soon as a refresh fails.
 */
@Injectable()
export class Sessions {
  private readonly sessions = new Map<string, Session>();
  private readonly pending = new Map<string, PendingSignIn>();
  private readonly renewing = new Map<string, Promise<Session | null>>();

  constructor(private readonly oidc: OidcClient) {}

  /** Starts a sign-in: the state to send along, and where the identity provider's login page is. */
  begin(returnTo: string): { state: string; url: string } {
    this.prune();
    const state = randomToken();
    const nonce = randomToken();
    const { verifier, challenge } = pkcePair();
    this.pending.set(state, { verifier, nonce, returnTo, expiresAt: Date.now() + SIGN_IN_TIMEOUT_MS });
    // A Map iterates in insertion order: the first key is the oldest sign-in.
    while (this.pending.size > MAX_PENDING_SIGN_INS) this.pending.delete(this.pending.keys().next().value as string);
    return { state, url: this.oidc.authorizeUrl(state, challenge, nonce) };
  }

  /** Finishes a sign-in begun with `state` (once only); null when there is no such sign-in under way. */
  async complete(state: string, code: string): Promise<{ session: Session; returnTo: string } | null> {
    const pending = this.pending.get(state);
    this.pending.delete(state);
    if (!pending || pending.expiresAt < Date.now()) return null;
    const session = { id: randomBytes(32).toString('base64url'), csrfToken: randomToken(), ...(await this.oidc.exchange(code, pending.verifier, pending.nonce)) };
    this.sessions.set(session.id, session);
    return { session, returnTo: pending.returnTo };
  }

  /** The session with this id, its access token renewed when due; null when there is none (any more). */
  async get(id: string | undefined): Promise<Session | null> {
    const session = id ? this.sessions.get(id) : undefined;
    if (!session) return null;
    if (Date.now() < session.accessExpiresAt - RENEW_BEFORE_MS) return session;
    // One renewal per session at a time: the page's polls arrive together.
    let renewal = this.renewing.get(session.id);
    if (!renewal) {
      renewal = this.renew(session).finally(() => this.renewing.delete(session.id));
      this.renewing.set(session.id, renewal);
    }
    return renewal;
  }

  /** Ends a session here; the ID token it had, for ending it at the identity provider too. */
  end(id: string | undefined): { idToken: string | null } {
    const session = id ? this.sessions.get(id) : undefined;
    if (id) this.sessions.delete(id);
    return { idToken: session?.idToken ?? null };
  }

  /** The session with this id as it is, not renewed (null when there is none). */
  peek(id: string | undefined): Session | null {
    return (id && this.sessions.get(id)) || null;
  }

  private async renew(session: Session): Promise<Session | null> {
    if (!session.refreshToken || session.sessionExpiresAt <= Date.now()) {
      this.sessions.delete(session.id);
      return null;
    }
    try {
      const tokens = await this.oidc.refresh(session.refreshToken);
      const renewed = { id: session.id, csrfToken: session.csrfToken, ...tokens, idToken: tokens.idToken ?? session.idToken };
      this.sessions.set(session.id, renewed);
      return renewed;
    } catch (error) {
      // Refused: the identity provider ended the session (signed out, expired, revoked), so sign
      // in again. Not answering is an outage, not a sign-out: the session stays for the next try.
      if (!(error instanceof SignInError && error.refused)) throw error;
      this.sessions.delete(session.id);
      return null;
    }
  }

  private prune(): void {
    const now = Date.now();
    for (const [state, p] of this.pending) if (p.expiresAt < now) this.pending.delete(state);
    for (const [id, s] of this.sessions) if (s.sessionExpiresAt < now) this.sessions.delete(id);
  }
}
