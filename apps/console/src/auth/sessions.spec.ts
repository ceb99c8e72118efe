import { MAX_PENDING_SIGN_INS, Sessions } from './sessions';
import type { OidcClient, TokenSet } from './oidc-client';

/** The identity provider's side, faked: every code is exchanged for tokens of shop-admin. */
function fakeOidc(): OidcClient {
  const tokens: TokenSet = { user: 'shop-admin', name: null, email: null, roles: ['admin'], accessToken: 'a', accessExpiresAt: Date.now() + 300_000, refreshToken: 'r', idToken: 'i', sessionExpiresAt: Date.now() + 1_800_000 };
  return { authorizeUrl: (state: string) => `http://idp/auth?state=${state}`, exchange: async () => tokens } as unknown as OidcClient;
}

describe('Sessions: sign-ins under way', () => {
  it('completes a sign-in once, and only with the state it began with', async () => {
    const sessions = new Sessions(fakeOidc());
    const { state } = sessions.begin('/#/orders');
    expect(await sessions.complete('another-state', 'code')).toBeNull();
    const done = await sessions.complete(state, 'code');
    expect(done?.returnTo).toBe('/#/orders');
    expect(done?.session.user).toBe('shop-admin');
    expect(await sessions.complete(state, 'code')).toBeNull();
  });

  it(`keeps at most ${MAX_PENDING_SIGN_INS} sign-ins under way, forgetting the oldest`, async () => {
    const sessions = new Sessions(fakeOidc());
    const states = Array.from({ length: MAX_PENDING_SIGN_INS + 1 }, (_, i) => sessions.begin(`/#/${i}`).state);
    expect(await sessions.complete(states[0], 'code')).toBeNull();
    expect((await sessions.complete(states[1], 'code'))?.returnTo).toBe('/#/1');
    expect((await sessions.complete(states[MAX_PENDING_SIGN_INS], 'code'))?.returnTo).toBe(`/#/${MAX_PENDING_SIGN_INS}`);
  });
});
