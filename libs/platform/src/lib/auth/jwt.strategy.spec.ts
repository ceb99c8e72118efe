import { principalOf } from './jwt.strategy';

describe("principalOf: the verified token's claims as the request's principal", () => {
  const sub = 'c0000000-0000-4000-8000-000000000001';

  it('takes the subject, realm roles, email and name', () => {
    expect(principalOf({ sub, realm_access: { roles: ['customer'] }, email: 'alice@example.com', email_verified: true, name: 'Alice Customer' })).toEqual({
      subject: sub,
      roles: ['customer'],
      email: 'alice@example.com',
      name: 'Alice Customer',
    });
  });

  it('refuses a token without a subject', () => {
    expect(principalOf({ email: 'alice@example.com' })).toBe(false);
  });

  it('leaves out an address the provider marks unverified, keeps one it does not mention', () => {
    expect(principalOf({ sub, email: 'alice@example.com', email_verified: false })).not.toHaveProperty('email');
    expect(principalOf({ sub, email: 'alice@example.com' })).toMatchObject({ email: 'alice@example.com' });
  });

  it('counts a blank or non-string email as absent', () => {
    expect(principalOf({ sub, email: '  ' })).not.toHaveProperty('email');
    expect(principalOf({ sub, email: ['alice@example.com'] })).not.toHaveProperty('email');
  });

  it.each([
    ['name', { name: ' Alice Customer ', given_name: 'A', family_name: 'C', preferred_username: 'alice' }, 'Alice Customer'],
    ['given_name and family_name without name', { given_name: 'Alice', family_name: 'Customer', preferred_username: 'alice' }, 'Alice Customer'],
    ['given_name alone', { given_name: 'Alice', preferred_username: 'alice' }, 'Alice'],
    ['preferred_username without any name', { name: ' ', preferred_username: 'alice' }, 'alice'],
  ])('takes the name from %s', (_case, claims, name) => {
    expect(principalOf({ sub, ...claims })).toMatchObject({ name });
  });

  it('has no name when the token carries none', () => {
    expect(principalOf({ sub })).toEqual({ subject: sub, roles: [] });
  });
});
