import { createHmac, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ConsoleConfig } from '../config';
import { OidcClient, SignInError } from './oidc-client';

/**
 * The console's token checks against a stand-in realm on 127.0.0.1 (JWKS and token endpoint) that
 * answers with tokens made here: what the real Keycloak cannot be made to do on demand (a forged
 * signature, a missing or foreign nonce, another issuer, audience or client). The console's
 * end-to-end suite signs in through the real Keycloak.
 */
const CLIENT = 'shop-console';
const b64url = (value: object | Buffer) => (Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value))).toString('base64url');

class StandInRealm {
  readonly key = generateKeyPairSync('rsa', { modulusLength: 2048 });
  private server?: Server;
  /** What the token endpoint answers next. */
  answer: Record<string, unknown> = {};
  /** The JWKS answers 503 while set. */
  keysDown = false;
  issuer = '';
  base = '';

  async listen(): Promise<void> {
    this.server = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url?.endsWith('/certs') && this.keysDown) {
        res.statusCode = 503;
        return res.end('{}');
      }
      if (req.url?.endsWith('/certs')) return res.end(JSON.stringify({ keys: [{ ...this.key.publicKey.export({ format: 'jwk' }), kid: 'k1', use: 'sig', alg: 'RS256' }] }));
      req.resume();
      res.end(JSON.stringify(this.answer));
    });
    await new Promise<void>((done) => this.server?.listen(0, '127.0.0.1', done));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/realms/shop`;
    this.issuer = this.base;
  }

  close(): Promise<void> {
    return new Promise((done) => (this.server ? this.server.close(() => done()) : done()));
  }

  /** An RS256 token signed with `privateKey` (default the realm's own). */
  token(claims: Record<string, unknown>, privateKey: KeyObject = this.key.privateKey): string {
    const now = Math.floor(Date.now() / 1000);
    const input = `${b64url({ alg: 'RS256', typ: 'JWT', kid: 'k1' })}.${b64url({ iss: this.issuer, sub: 'admin-id', iat: now, exp: now + 300, ...claims })}`;
    return `${input}.${b64url(sign('sha256', Buffer.from(input), privateKey))}`;
  }

  accessToken(claims: Record<string, unknown> = {}, privateKey?: KeyObject): string {
    return this.token({ azp: CLIENT, aud: ['shop-api', 'account'], preferred_username: 'shop-admin', name: 'Shop Admin', email: 'admin@example.com', realm_access: { roles: ['admin'] }, ...claims }, privateKey);
  }

  idToken(claims: Record<string, unknown> = {}): string {
    return this.token({ aud: CLIENT, azp: CLIENT, nonce: 'n-1', ...claims });
  }

  answerWith(tokens: { access_token?: string; id_token?: string }): void {
    this.answer = { expires_in: 300, refresh_expires_in: 1800, refresh_token: 'r', ...tokens };
  }
}

describe('OidcClient: nothing of a token is believed before it is verified', () => {
  const realm = new StandInRealm();
  let client: OidcClient;

  beforeAll(async () => {
    await realm.listen();
    client = new OidcClient({ OIDC_ISSUER: realm.base, OIDC_BACKCHANNEL_URL: realm.base, CONSOLE_OIDC_CLIENT_ID: CLIENT, CONSOLE_PUBLIC_URL: 'http://127.0.0.1:3100' } as ConsoleConfig);
  });

  afterAll(() => realm.close());

  const signIn = () => client.exchange('code', 'verifier', 'n-1');
  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => 'accepted',
      (error: unknown) => (error instanceof SignInError ? `${error.refused ? 'refused' : 'outage'}: ${error.message}` : `unexpected: ${String(error)}`),
    );

  it('signs in with an ID token carrying this sign-in’s nonce; the user and roles come from the verified access token', async () => {
    realm.answerWith({ access_token: realm.accessToken(), id_token: realm.idToken() });
    expect(await signIn()).toMatchObject({ user: 'shop-admin', name: 'Shop Admin', email: 'admin@example.com', roles: ['admin'], refreshToken: 'r' });
  });

  it('puts the nonce in the authorization request', () => {
    expect(new URL(client.authorizeUrl('s-1', 'c-1', 'n-1')).searchParams.get('nonce')).toBe('n-1');
  });

  it.each([
    ['an ID token without a nonce', () => ({ access_token: realm.accessToken(), id_token: realm.idToken({ nonce: undefined }) }), /refused: the ID token carries no nonce/],
    ['an ID token with another sign-in’s nonce', () => ({ access_token: realm.accessToken(), id_token: realm.idToken({ nonce: 'n-2' }) }), /refused: the ID token carries another sign-in’s nonce/],
    ['no ID token at all', () => ({ access_token: realm.accessToken() }), /refused: .*without an ID token/],
    ['an ID token for another client', () => ({ access_token: realm.accessToken(), id_token: realm.idToken({ aud: 'another-client' }) }), /refused: the ID token was refused: its aud claim/],
    [
      'an access token claiming the admin role, signed with a key the realm does not publish',
      () => ({ access_token: realm.accessToken({}, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey), id_token: realm.idToken() }),
      /refused: the access token was refused: its signature does not verify/,
    ],
    ['an access token from another issuer', () => ({ access_token: realm.accessToken({ iss: 'http://elsewhere.test/realms/shop' }), id_token: realm.idToken() }), /refused: the access token was refused: its iss claim/],
    ['an access token issued to another client', () => ({ access_token: realm.accessToken({ azp: 'shop-cli' }), id_token: realm.idToken() }), /refused: the access token was issued to another client \(azp "shop-cli"\)/],
    ['an expired access token', () => ({ access_token: realm.accessToken({ exp: Math.floor(Date.now() / 1000) - 60 }), id_token: realm.idToken() }), /refused: the access token was refused: it has expired/],
    [
      'an access token signed HS256 with the realm’s public key as the secret',
      () => {
        const input = `${b64url({ alg: 'HS256', typ: 'JWT', kid: 'k1' })}.${b64url({ iss: realm.issuer, sub: 'x', azp: CLIENT, exp: Math.floor(Date.now() / 1000) + 300, realm_access: { roles: ['admin'] } })}`;
        const secret = realm.key.publicKey.export({ format: 'pem', type: 'spki' });
        return { access_token: `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`, id_token: realm.idToken() };
      },
      /refused: the access token was refused: it is not signed with RS256/,
    ],
  ])('refuses a sign-in with %s', async (_, tokens, why) => {
    realm.answerWith(tokens());
    expect(await refusal(signIn())).toMatch(why);
  });

  it('a refresh needs no nonce, but its access token is verified like a sign-in’s', async () => {
    realm.answerWith({ access_token: realm.accessToken({ realm_access: { roles: ['customer'] } }) });
    expect((await client.refresh('r')).roles).toEqual(['customer']);
    realm.answerWith({ access_token: realm.accessToken({}, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey) });
    expect(await refusal(client.refresh('r'))).toMatch(/refused: the access token was refused: its signature/);
  });

  it("when the realm's keys cannot be fetched: an outage (503), not a refusal that would sign the admin out", async () => {
    realm.keysDown = true;
    try {
      // A new client: its key cache is empty, so it must fetch the keys.
      const fresh = new OidcClient({ OIDC_ISSUER: realm.base, OIDC_BACKCHANNEL_URL: realm.base, CONSOLE_OIDC_CLIENT_ID: CLIENT, CONSOLE_PUBLIC_URL: 'http://127.0.0.1:3100' } as ConsoleConfig);
      realm.answerWith({ access_token: realm.accessToken(), id_token: realm.idToken() });
      expect(await refusal(fresh.exchange('code', 'verifier', 'n-1'))).toMatch(/^outage: the ID token could not be checked: the realm's keys could not be fetched/);
    } finally {
      realm.keysDown = false;
    }
  });
});
