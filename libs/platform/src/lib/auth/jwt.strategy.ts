import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { JwksClient, type SigningKey } from 'jwks-rsa';
import { ExtractJwt, Strategy, type SecretOrKeyProvider } from 'passport-jwt';
import type { Principal } from './principal';

export interface OidcOptions {
  /** The `iss` every token must carry, e.g. http://127.0.0.1:8180/realms/shop. */
  issuer: string;
  /** The `aud` every token must include (the shop API's client id at the provider). */
  audience: string;
  /** Where the signing keys are fetched (the issuer's JWKS); defaults to Keycloak's path under the issuer. */
  jwksUri?: string;
}

export const OIDC_OPTIONS = Symbol('OIDC_OPTIONS');

/** Keycloak's JWKS path under a realm's issuer URL; other providers set OIDC_JWKS_URI. */
export const jwksUriOf = (options: OidcOptions) => options.jwksUri ?? `${options.issuer.replace(/\/$/, '')}/protocol/openid-connect/certs`;

/** The claims the shop reads (OpenID Connect standard claims; Keycloak's `realm_access`). */
export interface AccessTokenClaims {
  sub?: string;
  realm_access?: { roles?: string[] };
  email?: unknown;
  email_verified?: unknown;
  name?: unknown;
  given_name?: unknown;
  family_name?: unknown;
  preferred_username?: unknown;
}

/**
 * Verifies bearer access tokens: RS256 signature by a key of the issuer's JWKS (jwks-rsa: keys
 * cached, an unknown `kid` fetched again at most 10 times a minute, so a rotated key is picked
 * up), issuer, audience and expiry (passport-jwt, 5 s clock tolerance). The key comes from
 * `signingKeyProvider`, not jwks-rsa's own passport helper (see there).
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(options: OidcOptions) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKeyProvider: signingKeyProvider(new JwksClient({ jwksUri: jwksUriOf(options), cache: true, rateLimit: true, jwksRequestsPerMinute: 10, timeout: 5_000 })),
      issuer: options.issuer,
      audience: options.audience,
      algorithms: ['RS256'],
      jsonWebTokenOptions: { clockTolerance: 5 },
    });
  }

  /** The principal passport puts on `request.user`. */
  validate(claims: AccessTokenClaims): Principal | false {
    return principalOf(claims);
  }
}

/**
 * The principal of a verified token's claims, or false without a subject. The email and name are
 * taken as the provider states them (a service checks their form where it uses them); an address
 * the provider marks unverified (`email_verified: false`) is left out, so nobody can be mailed at
 * an address they only typed in. Blank or non-string claims count as absent.
 */
export function principalOf(claims: AccessTokenClaims): Principal | false {
  if (!claims.sub) return false;
  const principal: Principal = { subject: claims.sub, roles: claims.realm_access?.roles ?? [] };
  const email = text(claims.email);
  if (email && claims.email_verified !== false) principal.email = email;
  const name = text(claims.name) ?? text([text(claims.given_name), text(claims.family_name)].filter(Boolean).join(' ')) ?? text(claims.preferred_username);
  if (name) principal.name = name;
  return principal;
}

/** A claim's value as trimmed, non-blank text, or undefined. */
function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * The signing key a token names (`kid`), from jwks-rsa's client, as a parsed public key.
 * jwks-rsa's `passportJwtSecret` hands passport-jwt a PEM string exported anew from its cached
 * key on every request, which jsonwebtoken then parses again: in a CPU profile of `npm run bench`
 * that was 40% of the order service's token verification. Here each key jwks-rsa returns is
 * parsed once and kept as long as jwks-rsa keeps that key (a WeakMap on its cached object), so
 * a key dropped from the JWKS leaves with jwks-rsa's cache. A token without a readable header, not
 * signed with RS256 or naming a kid the issuer does not have gets no key (passport-jwt then refuses it: 401); a JWKS that
 * cannot be fetched is passed on as the error (the guard answers 503).
 */
export function signingKeyProvider(client: Pick<JwksClient, 'getSigningKey'>): SecretOrKeyProvider {
  const parsed = new WeakMap<SigningKey, KeyObject>();
  return (_request, rawJwtToken: string, done) => {
    const header = jwtHeader(rawJwtToken);
    // Only RS256 is accepted (passport-jwt checks it again): nothing else is worth a JWKS fetch.
    if (header?.alg !== 'RS256') return done(null);
    client.getSigningKey(typeof header.kid === 'string' ? header.kid : null).then(
      (key) => {
        let publicKey = parsed.get(key);
        if (!publicKey) {
          publicKey = createPublicKey(key.getPublicKey());
          parsed.set(key, publicKey);
        }
        // jsonwebtoken (behind passport-jwt) verifies with a KeyObject as with a PEM string; the
        // typings of passport-jwt predate KeyObject.
        done(null, publicKey as unknown as string);
      },
      (error: Error) => (error.name === 'SigningKeyNotFoundError' ? done(null) : done(error)),
    );
  };
}

/** A JWT's header, or undefined when it cannot be read. */
function jwtHeader(token: string): { alg?: unknown; kid?: unknown } | undefined {
  try {
    const header: unknown = JSON.parse(Buffer.from(token.slice(0, token.indexOf('.')), 'base64url').toString('utf8'));
    return typeof header === 'object' && header !== null ? header : undefined;
  } catch {
    return undefined;
  }
}
