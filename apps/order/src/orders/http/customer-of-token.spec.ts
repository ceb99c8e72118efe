import { ForbiddenException } from '@nestjs/common';
import { customerFieldsInBody, customerOfToken } from './customer-of-token';

const alice = { subject: 'c0000000-0000-4000-8000-000000000001', roles: ['customer'] };

/** The problem body a thrown HttpException carries. */
function refusal(run: () => unknown): { status: number; body: Record<string, unknown> } {
  try {
    run();
  } catch (error) {
    if (error instanceof ForbiddenException) return { status: error.getStatus(), body: error.getResponse() as Record<string, unknown> };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe("customerOfToken: the order's customer is the token's user", () => {
  it("takes id, email and name from the token's principal", () => {
    expect(customerOfToken({ ...alice, email: 'alice@example.com', name: 'Alice Customer' })).toEqual({ id: alice.subject, email: 'alice@example.com', name: 'Alice Customer' });
  });

  it('names the customer by their address when the token carries no name', () => {
    expect(customerOfToken({ ...alice, email: 'alice@example.com' })).toEqual({ id: alice.subject, email: 'alice@example.com', name: 'alice@example.com' });
  });

  it('refuses a token without an email address: 403 AUTH.EMAIL_REQUIRED saying what to fix', () => {
    const { status, body } = refusal(() => customerOfToken({ ...alice, name: 'Alice Customer' }));
    expect(status).toBe(403);
    expect(body).toMatchObject({ code: 'AUTH.EMAIL_REQUIRED' });
    expect(body['message']).toMatch(/claim `email`/);
  });

  it.each([
    ['an email claim that is not an address', { email: 'alice', name: 'Alice' }, /email: must be an email address/],
    ['an address over 320 characters', { email: `${'a'.repeat(320)}@example.com`, name: 'Alice' }, /email: must be at most 320/],
    ['a name over 200 characters', { email: 'alice@example.com', name: 'A'.repeat(201) }, /name:/],
  ])('refuses %s: 403 AUTH.CUSTOMER_CLAIMS_INVALID naming the claim', (_case, claims, why) => {
    const { status, body } = refusal(() => customerOfToken({ ...alice, ...claims }));
    expect(status).toBe(403);
    expect(body).toMatchObject({ code: 'AUTH.CUSTOMER_CLAIMS_INVALID' });
    expect(body['message']).toMatch(why);
  });
});

describe('customerFieldsInBody: a body may not name the customer', () => {
  it('names each customer field the body sends', () => {
    expect(customerFieldsInBody({ customerEmail: 'mallory@example.net', customerName: 'Mallory', lines: [] }).map((e) => e.field)).toEqual(['customerEmail', 'customerName']);
    expect(customerFieldsInBody({ customerId: 'someone-else' })).toEqual([{ field: 'customerId', message: expect.stringMatching(/^remove customerId: /) }]);
  });

  it('finds nothing in an order without them, nor in a body that is not an object', () => {
    expect(customerFieldsInBody({ lines: [], shippingAddress: {}, paymentMethod: 'card' })).toEqual([]);
    expect(customerFieldsInBody(null)).toEqual([]);
    expect(customerFieldsInBody('customerEmail')).toEqual([]);
  });
});
