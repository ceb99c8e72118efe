import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';

/** What the console reads from a verified access token. */
export interface VerifiedUser {
  user: string;
  name: string | null;
  email: string | null;
  roles: string[];
}

/**
 * A token the console refuses: it names the check that failed, never the token. `outage`: the
 * realm's keys could not be fetched, so nothing was decided about the token.
 */
export class TokenRefused extends Error {
  constructor(
    message: string,
    readonly outage = false,
  ) {
    super(message);
  }
}

/** Within this much clock difference from the identity provider, expiry and issue times are accepted. */
const CLOCK_TOLERANCE_S = 5;

/**
 * Checks the tokens the console gets from the token endpoint before it believes a claim of them:
 * the signature by the realm's published keys (RS256 only), the issuer, the audience or the
 * authorized party, the expiry, and on sign-in the ID token's nonce (the one this sign-in sent). The
 * signature and claim checks are jose's (jwtVerify, keys fetched from the realm's JWKS, cached and
 * fetched again for an unknown key id).
 */
export class TokenVerifier {
  private readonly keys: ReturnType<typeof createRemoteJWKSet>;

  /**
   * @param issuer the realm as tokens name it (`iss`)
   * @param jwksUrl where the console's backend fetches the realm's keys
   * @param clientId the console's client: an ID token's audience, an access token's authorized party (`azp`)
   */
  constructor(
    private readonly issuer: string,
    jwksUrl: string,
    private readonly clientId: string,
  ) {
    this.keys = createRemoteJWKSet(new URL(jwksUrl), { timeoutDuration: 5_000, cooldownDuration: 30_000 });
  }

  /** The ID token of a sign-in: for this client, and carrying the nonce the sign-in sent. */
  async idToken(token: string, nonce: string): Promise<JWTPayload> {
    const claims = await this.verify('ID token', token, { audience: this.clientId });
    if (typeof claims['nonce'] !== 'string') throw new TokenRefused('the ID token carries no nonce');
    if (claims['nonce'] !== nonce) throw new TokenRefused('the ID token carries another sign-in’s nonce');
    return claims;
  }

  /** The access token: issued to this client (`azp`); the user, their name and email, and realm roles. */
  async accessToken(token: string): Promise<VerifiedUser> {
    const claims = await this.verify('access token', token, {});
    if (claims['azp'] !== this.clientId) throw new TokenRefused(`the access token was issued to another client (azp ${JSON.stringify(claims['azp'] ?? null)})`);
    const text = (value: unknown) => (typeof value === 'string' ? value : null);
    const realmRoles = (claims['realm_access'] as { roles?: unknown } | undefined)?.roles;
    return {
      user: text(claims['preferred_username']) ?? text(claims.sub) ?? 'unknown',
      name: text(claims['name']),
      email: text(claims['email']),
      roles: Array.isArray(realmRoles) ? realmRoles.filter((r): r is string => typeof r === 'string') : [],
    };
  }

  private async verify(what: string, token: string, options: { audience?: string }): Promise<JWTPayload> {
    try {
      const { payload } = await jwtVerify(token, this.keys, { issuer: this.issuer, algorithms: ['RS256'], clockTolerance: CLOCK_TOLERANCE_S, ...options });
      if (!payload.sub) throw new TokenRefused(`the ${what} has no subject`);
      return payload;
    } catch (error) {
      if (error instanceof TokenRefused) throw error;
      if (keysUnreachable(error)) throw new TokenRefused(`the ${what} could not be checked: the realm's keys could not be fetched (${(error as Error).message})`, true);
      throw new TokenRefused(`the ${what} was refused: ${reason(error)}`);
    }
  }
}

/** The JWKS did not answer, or not with 200: an outage of the identity provider, not a bad token. */
function keysUnreachable(error: unknown): boolean {
  if (error instanceof errors.JWKSTimeout) return true;
  if (typeof (error as { code?: unknown }).code === 'string' && !(error instanceof errors.JOSEError)) return true; // ECONNREFUSED, ENOTFOUND...
  return error instanceof errors.JOSEError && /JSON Web Key Set HTTP response/.test(error.message);
}

function reason(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'it has expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `its ${error.claim} claim is not what this console expects`;
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey) return "its signature does not verify with the realm's keys";
  if (error instanceof errors.JOSEAlgNotAllowed) return 'it is not signed with RS256';
  return error instanceof Error ? error.message : String(error);
}
