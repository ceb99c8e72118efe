import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';

/** Who sent a request, from a verified access token. */
export interface Principal {
  /** The token's `sub`: the identity provider's stable id of the user (the shop's customer id). */
  subject: string;
  /** Realm roles: `customer`, `admin`. */
  roles: string[];
  /**
   * The user's email address at the identity provider (the `email` claim), when the token carries
   * one and the provider does not say it is unverified (`email_verified: false`). The shop mails
   * the customer here, never at an address a request names.
   */
  email?: string;
  /** The user's name: the `name` claim, else `given_name` and `family_name`, else `preferred_username`. */
  name?: string;
}

export const ADMIN_ROLE = 'admin';

export const isAdmin = (principal: Principal) => principal.roles.includes(ADMIN_ROLE);

export const PUBLIC_ROUTE = 'shop:public-route';
export const TOKEN_OPTIONAL = 'shop:token-optional';
export const REQUIRED_ROLES = 'shop:required-roles';

/** The route answers without a token (health, metrics, the product catalog). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/**
 * The route answers without a token, and verifies one when it is sent: a valid token's principal
 * is on the request (a route may show an admin more), a bad one is refused with 401 as anywhere.
 */
export const TokenOptional = () => SetMetadata(TOKEN_OPTIONAL, true);

/** The verified principal of a @TokenOptional() request, if it sent a token. */
export const OptionalPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal | undefined => ctx.switchToHttp().getRequest<{ user?: Principal }>().user);

/** The route needs a token carrying one of these roles, or it answers 403. */
export const RequireRoles = (...roles: string[]) => SetMetadata(REQUIRED_ROLES, roles);

/** The verified principal of the request (set by BearerAuthGuard). */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const principal = ctx.switchToHttp().getRequest<{ user?: Principal }>().user;
  if (!principal) throw new Error('no principal on the request: is the route @Public()?');
  return principal;
});
