import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { passportJwtSecret } from 'jwks-rsa';
import { ExtractJwt, Strategy } from 'passport-jwt';
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

interface AccessTokenClaims {
  sub?: string;
  realm_access?: { roles?: string[] };
}

/**
 * Verifies bearer access tokens: RS256 signature by a key of the issuer's JWKS (jwks-rsa: keys
 * cached, an unknown `kid` fetched again at most 10 times a minute, so a rotated key is picked
 * up), issuer, audience and expiry (passport-jwt, 5 s clock tolerance).
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(options: OidcOptions) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKeyProvider: passportJwtSecret({ jwksUri: jwksUriOf(options), cache: true, rateLimit: true, jwksRequestsPerMinute: 10, timeout: 5_000 }),
      issuer: options.issuer,
      audience: options.audience,
      algorithms: ['RS256'],
      jsonWebTokenOptions: { clockTolerance: 5 },
    });
  }

  /** The principal passport puts on `request.user`. */
  validate(claims: AccessTokenClaims): Principal | false {
    if (!claims.sub) return false;
    return { subject: claims.sub, roles: claims.realm_access?.roles ?? [] };
  }
}
