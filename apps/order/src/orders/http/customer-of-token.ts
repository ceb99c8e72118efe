import { ForbiddenException } from '@nestjs/common';
import { nonBlankText, type Principal } from '@shop/platform';
import { z } from 'zod';
import type { Customer } from '../domain/order';

/** The body fields that name the customer: the token does, so a body that sends them is refused (400). */
export const CUSTOMER_FIELDS_FROM_TOKEN = ['customerId', 'customerEmail', 'customerName'] as const;

const claims = z.object({
  email: z.email('must be an email address').max(320, 'must be at most 320 characters'),
  name: nonBlankText(200),
});

/**
 * The customer an order is placed for: the signed-in user, with the email address and name the
 * identity provider put in their access token (the `email` claim, not marked unverified; the
 * `name` claim or its fallbacks, else the address). Never from the request body: whoever could
 * name the address could have the shop mail anyone. A token without a usable address is refused
 * with 403 (the token is valid, but does not say where the shop may write to).
 */
export function customerOfToken(principal: Principal): Customer {
  if (!principal.email) {
    throw new ForbiddenException({
      code: 'AUTH.EMAIL_REQUIRED',
      message:
        "the access token carries no verified email address (claim `email`): the shop mails the customer at the address the identity provider holds; give the user an email address there (and the client the `email` scope), then sign in again",
    });
  }
  const parsed = claims.safeParse({ email: principal.email, name: principal.name ?? principal.email });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new ForbiddenException({ code: 'AUTH.CUSTOMER_CLAIMS_INVALID', message: `the access token's customer claims cannot be used for an order (${problems})` });
  }
  return { id: principal.subject, email: parsed.data.email, name: parsed.data.name };
}

/** 400 naming each customer field the body sends (REQUEST.CUSTOMER_FROM_TOKEN), or nothing. */
export function customerFieldsInBody(body: unknown): Array<{ field: string; message: string }> {
  if (typeof body !== 'object' || body === null) return [];
  return CUSTOMER_FIELDS_FROM_TOKEN.filter((field) => field in body).map((field) => ({ field, message: `remove ${field}: ${FROM_TOKEN[field]}` }));
}

const FROM_TOKEN: Record<(typeof CUSTOMER_FIELDS_FROM_TOKEN)[number], string> = {
  customerId: 'the customer is the one the access token was issued to',
  customerEmail: "the shop mails the address of the access token (the identity provider's email claim)",
  customerName: "the customer's name comes from the access token (the identity provider's name claim)",
};
