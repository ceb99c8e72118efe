import { ForbiddenException, Injectable, Logger, ServiceUnavailableException, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { PUBLIC_ROUTE, REQUIRED_ROLES, TOKEN_OPTIONAL, type Principal } from './principal';

const AUTHENTICATE = 'Bearer realm="shop"';

/**
 * Every route needs a valid bearer token unless it is @Public() (or @TokenOptional(): then a token
 * sent is verified like anywhere, and none is fine). Without one: 401 problem+json
 * with `WWW-Authenticate` (RFC 6750), and a reason a client can act on (missing, expired,
 * not for this API), never the token itself.
 */
@Injectable()
export class BearerAuthGuard extends AuthGuard('jwt') {
  private readonly logger = new Logger(BearerAuthGuard.name);

  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(TOKEN_OPTIONAL, targets)) {
      const sent = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>().headers['authorization'];
      return sent === undefined ? true : super.canActivate(context);
    }
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    return super.canActivate(context);
  }

  override handleRequest<T = Principal>(error: unknown, principal: T | false, info: unknown, context: ExecutionContext): T {
    if (error) throw error;
    if (principal) return principal;
    if (providerUnreachable(info)) {
      this.logger.warn({ err: String(info) }, "the identity provider's signing keys could not be fetched");
      throw new ServiceUnavailableException({ code: 'AUTH.PROVIDER_UNAVAILABLE', message: "the identity provider's signing keys could not be fetched; try again shortly" });
    }
    const missing = info instanceof Error && info.message === 'No auth token';
    const res = context.switchToHttp().getResponse<{ setHeader(name: string, value: string): void }>();
    res.setHeader('WWW-Authenticate', missing ? AUTHENTICATE : `${AUTHENTICATE}, error="invalid_token"`);
    throw new UnauthorizedException(
      missing
        ? { code: 'AUTH.TOKEN_REQUIRED', message: 'sign in: send an access token as "Authorization: Bearer <token>" (npm run -s token -- alice)' }
        : { code: 'AUTH.TOKEN_INVALID', message: `the access token was refused: ${reasonOf(info)}` },
    );
  }
}

/** jwks-rsa could not fetch the JWKS (the provider is down or answers an error): not the client's fault. */
function providerUnreachable(info: unknown): boolean {
  const { name, code } = (info ?? {}) as { name?: unknown; code?: unknown };
  return name === 'JwksError' || typeof code === 'string';
}

/** Why passport-jwt refused a token, in words safe to send back (no token contents). */
function reasonOf(info: unknown): string {
  const message = info instanceof Error ? info.message : '';
  if (/expired/.test(message)) return 'it has expired';
  if (/audience/.test(message)) return 'it is not for this API (audience)';
  if (/issuer/.test(message)) return 'it was not issued by the identity provider this service trusts (issuer)';
  if (/signature|secret or public key|kid/i.test(message)) return 'its signature could not be verified with the identity provider\'s keys';
  if (/algorithm/.test(message)) return 'it is not signed with RS256';
  return 'it is malformed';
}

/** A route marked @RequireRoles(...) answers 403 to a principal with none of those roles. */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const roles = this.reflector.getAllAndOverride<string[] | undefined>(REQUIRED_ROLES, [context.getHandler(), context.getClass()]);
    if (!roles?.length) return true;
    const principal = context.switchToHttp().getRequest<{ user?: Principal }>().user;
    if (principal?.roles.some((role) => roles.includes(role))) return true;
    throw new ForbiddenException({ code: 'AUTH.FORBIDDEN', message: `this needs the ${roles.join(' or ')} role` });
  }
}
