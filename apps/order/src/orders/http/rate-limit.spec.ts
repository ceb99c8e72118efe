import { rateLimitTracker } from './rate-limit';

describe('rateLimitTracker', () => {
  it('counts a signed-in request against its customer, whatever its address', () => {
    const alice = { subject: 'c0000000-0000-4000-8000-000000000001', roles: ['customer'] };
    expect(rateLimitTracker({ user: alice, ip: '10.0.0.1' })).toBe(rateLimitTracker({ user: alice, ip: '10.0.0.2' }));
    expect(rateLimitTracker({ user: alice, ip: '10.0.0.1' })).not.toBe(rateLimitTracker({ user: { subject: 'bob', roles: [] }, ip: '10.0.0.1' }));
  });

  it('counts an anonymous request (the public catalog) against its address', () => {
    expect(rateLimitTracker({ ip: '10.0.0.1' })).toBe('address:10.0.0.1');
    expect(rateLimitTracker({ ip: '10.0.0.1' })).not.toBe(rateLimitTracker({ ip: '10.0.0.2' }));
  });
});
