import { Controller, Get, type INestApplication } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { Test } from '@nestjs/testing';
import { createHmac, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { ProblemDetailsFilter } from '../http/problem-details.filter';
import { BearerAuthGuard, RolesGuard } from './auth.guards';
import { JwtStrategy } from './jwt.strategy';
import { HealthIndicatorService, TerminusModule, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { BreakerHealthIndicator, DependencyBreakers, KafkaHealthIndicator } from '@shop/messaging';
import { databaseServiceReadiness, HealthController } from '../health/health.controller';
import { ProbeAddresses } from '../health/probe-addresses';
import { CurrentPrincipal, Public, RequireRoles, type Principal } from './principal';

/**
 * The verifier as the services wire it (passport-jwt + jwks-rsa behind the platform's guards),
 * against a stand-in issuer on 127.0.0.1 that serves a JWKS and signs tokens with keys made
 * here: what a real provider cannot be made to do on demand (expired, foreign, rotated keys,
 * algorithm confusion, an outage). The shop's e2e suite covers the real Keycloak.
 */
const ISSUER = 'http://issuer.test/realms/shop';
const AUDIENCE = 'shop-api';

const b64url = (value: object | Buffer) => (Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value))).toString('base64url');

class StandInIssuer {
  private keys: Array<{ kid: string; privateKey: KeyObject; publicKey: KeyObject }> = [];
  private server?: Server;
  jwksRequests = 0;
  url = '';

  rotate(kid: string): void {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.keys = [{ kid, privateKey, publicKey }];
  }

  key(kid: string) {
    const key = this.keys.find((k) => k.kid === kid);
    if (!key) throw new Error(`no key ${kid}`);
    return key;
  }

  async listen(): Promise<void> {
    this.server = createServer((_, res) => {
      this.jwksRequests++;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: this.keys.map((k) => ({ ...k.publicKey.export({ format: 'jwk' }), kid: k.kid, use: 'sig', alg: 'RS256' })) }));
    });
    await new Promise<void>((done) => this.server?.listen(0, '127.0.0.1', done));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/certs`;
  }

  close(): Promise<void> {
    return new Promise((done) => (this.server ? this.server.close(() => done()) : done()));
  }
}

/** An RS256 token signed with `privateKey`; claims default to a valid one of alice's. */
function token(privateKey: KeyObject, kid: string, claims: Record<string, unknown> = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const payload = { iss: ISSUER, aud: AUDIENCE, sub: 'alice-id', exp: now + 300, iat: now, realm_access: { roles: ['customer'] }, ...claims };
  const input = `${b64url({ alg: 'RS256', typ: 'JWT', kid })}.${b64url(payload)}`;
  return `${input}.${b64url(sign('sha256', Buffer.from(input), privateKey))}`;
}

@Controller()
class ProbeController {
  @Get('me')
  me(@CurrentPrincipal() principal: Principal) {
    return principal;
  }

  @Public()
  @Get('open')
  open() {
    return { open: true };
  }

  @RequireRoles('admin')
  @Get('admin')
  admin() {
    return { admin: true };
  }
}

describe('sign-in: bearer tokens verified against the issuer JWKS', () => {
  const issuer = new StandInIssuer();
  let app: INestApplication;

  const get = (path: string, bearer?: string) => {
    const req = request(app.getHttpServer()).get(path);
    return bearer === undefined ? req : req.set('authorization', `Bearer ${bearer}`);
  };
  const signed = (claims: Record<string, unknown> = {}) => token(issuer.key('k1').privateKey, 'k1', claims);

  beforeAll(async () => {
    issuer.rotate('k1');
    await issuer.listen();
    const module = await Test.createTestingModule({
      imports: [PassportModule],
      controllers: [ProbeController],
      providers: [
        { provide: JwtStrategy, useFactory: () => new JwtStrategy({ issuer: ISSUER, audience: AUDIENCE, jwksUri: issuer.url }) },
        { provide: APP_GUARD, useClass: BearerAuthGuard },
        { provide: APP_GUARD, useClass: RolesGuard },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      ],
    }).compile();
    app = module.createNestApplication({ logger: false });
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
    await issuer.close();
  });

  it("accepts a valid token: the principal is the token's subject and realm roles", async () => {
    const res = await get('/me', signed());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ subject: 'alice-id', roles: ['customer'] });
  });

  it("carries the token's email and name (Keycloak's standard claims) to the principal", async () => {
    const res = await get('/me', signed({ email: 'alice@example.com', email_verified: true, name: 'Alice Customer', preferred_username: 'alice' }));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ subject: 'alice-id', roles: ['customer'], email: 'alice@example.com', name: 'Alice Customer' });
  });

  it('without a token: 401 problem+json AUTH.TOKEN_REQUIRED and WWW-Authenticate: Bearer', async () => {
    const res = await get('/me');
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="shop"');
    expect(res.body).toMatchObject({ status: 401, code: 'AUTH.TOKEN_REQUIRED' });
  });

  it.each([
    ['expired (beyond the 5 s tolerance)', () => signed({ exp: Math.floor(Date.now() / 1000) - 60 }), /expired/],
    ['for another audience', () => signed({ aud: 'another-api' }), /audience/],
    ['from another issuer', () => signed({ iss: 'http://elsewhere.test/realms/shop' }), /issuer/],
    ['without a subject', () => signed({ sub: undefined }), /malformed/],
    ['signed by a key the issuer does not publish', () => token(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey, 'k1'), /signature/],
    ['unsigned (alg none)', () => `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ iss: ISSUER, aud: AUDIENCE, sub: 'alice-id', exp: Math.floor(Date.now() / 1000) + 300 })}.`, /./],
    [
      'HS256 with the public key as the secret (algorithm confusion)',
      () => {
        const input = `${b64url({ alg: 'HS256', typ: 'JWT', kid: 'k1' })}.${b64url({ iss: ISSUER, aud: AUDIENCE, sub: 'alice-id', exp: Math.floor(Date.now() / 1000) + 300 })}`;
        const pem = issuer.key('k1').publicKey.export({ type: 'spki', format: 'pem' });
        return `${input}.${b64url(createHmac('sha256', pem).update(input).digest())}`;
      },
      /./,
    ],
    ['not a JWT at all', () => 'not-a-token', /./],
  ])('refuses a token %s: 401 AUTH.TOKEN_INVALID naming why, with error="invalid_token"', async (_case, make, why) => {
    const res = await get('/me', make());
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: 'AUTH.TOKEN_INVALID' });
    expect(res.body.detail).toMatch(why);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="shop", error="invalid_token"');
  });

  it('a @Public() route needs no token; a @RequireRoles route answers 403 without the role, 200 with it', async () => {
    expect((await get('/open')).status).toBe(200);
    const customer = await get('/admin', signed());
    expect([customer.status, customer.body.code]).toEqual([403, 'AUTH.FORBIDDEN']);
    expect((await get('/admin', signed({ realm_access: { roles: ['admin'] } }))).status).toBe(200);
  });

  it('keys are cached, and a rotated key is fetched when a token names its new kid', async () => {
    const before = issuer.jwksRequests;
    for (let i = 0; i < 5; i++) expect((await get('/me', signed())).status).toBe(200);
    expect(issuer.jwksRequests).toBe(before); // cached: no fetch per request

    issuer.rotate('k2');
    const res = await get('/me', token(issuer.key('k2').privateKey, 'k2'));
    expect(res.status).toBe(200);
    expect(issuer.jwksRequests).toBe(before + 1);
  });

  it("while the issuer's keys cannot be fetched: 503 AUTH.PROVIDER_UNAVAILABLE, not a 401 that would sign the customer out", async () => {
    issuer.rotate('k3');
    const newKid = token(issuer.key('k3').privateKey, 'k3');
    await issuer.close();
    const res = await get('/me', newKid);
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ code: 'AUTH.PROVIDER_UNAVAILABLE' });
  });
});

/**
 * /health/ready as the platform wires it (@TokenOptional() behind the same guards), its
 * dependencies stood in by indicators whose state the test sets: anyone learns up or down;
 * the details need an admin's token or a caller from HEALTH_DETAILS_FROM.
 */
describe('/health/ready: up or down for anyone, the details for an admin or a probe address', () => {
  const issuer = new StandInIssuer();
  const state = { postgres: true, breaker: 'closed' as 'closed' | 'open' };
  const apps: INestApplication[] = [];

  async function serve(probeAddresses: string[]): Promise<INestApplication> {
    const module = await Test.createTestingModule({
      imports: [PassportModule, TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController],
      providers: [
        { provide: JwtStrategy, useFactory: () => new JwtStrategy({ issuer: ISSUER, audience: AUDIENCE, jwksUri: issuer.url }) },
        { provide: APP_GUARD, useClass: BearerAuthGuard },
        { provide: APP_GUARD, useClass: RolesGuard },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: ProbeAddresses, useValue: new ProbeAddresses(probeAddresses) },
        {
          provide: TypeOrmHealthIndicator,
          inject: [HealthIndicatorService],
          useFactory: (indicator: HealthIndicatorService) => ({
            pingCheck: (key: string) => (state.postgres ? indicator.check(key).up() : indicator.check(key).down({ message: 'connection refused' })),
          }),
        },
        {
          provide: KafkaHealthIndicator,
          inject: [HealthIndicatorService],
          useFactory: (indicator: HealthIndicatorService) => ({
            check: (key: string) => indicator.check(key).up({ brokers: 1 }),
            checkConsumer: (key: string) => indicator.check(key).up({ group: 'order', handles: ['inventory.stock-reserved@1'] }),
          }),
        },
        databaseServiceReadiness,
        {
          provide: DependencyBreakers,
          useFactory: () => {
            const breakers = new DependencyBreakers();
            breakers.register(() => [{ consumer: 'order', dependency: 'database', state: state.breaker, since: '2026-12-07T12:00:00.000Z' }]);
            return breakers;
          },
        },
        BreakerHealthIndicator,
      ],
    }).compile();
    const app = module.createNestApplication({ logger: false });
    await app.init();
    apps.push(app);
    return app;
  }

  const ready = (app: INestApplication, bearer?: string) => {
    const req = request(app.getHttpServer()).get('/health/ready');
    return bearer === undefined ? req : req.set('authorization', `Bearer ${bearer}`);
  };
  const signed = (roles: string[]) => token(issuer.key('h1').privateKey, 'h1', { realm_access: { roles } });

  beforeAll(async () => {
    issuer.rotate('h1');
    await issuer.listen();
  });

  afterEach(() => {
    state.postgres = true;
    state.breaker = 'closed';
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    await issuer.close();
  });

  it('anonymous and customers: 200 {"status":"ok"} or 503 {"status":"error"}, nothing more', async () => {
    const app = await serve([]);
    for (const bearer of [undefined, signed(['customer'])]) {
      expect(await ready(app, bearer).then((r) => [r.status, r.body])).toEqual([200, { status: 'ok' }]);
      state.postgres = false;
      expect(await ready(app, bearer).then((r) => [r.status, r.body])).toEqual([503, { status: 'error' }]);
      state.postgres = true;
    }
  });

  it("an admin's token: terminus' details, 200 and 503 alike", async () => {
    const app = await serve([]);
    const admin = signed(['admin']);
    expect((await ready(app, admin)).body).toMatchObject({ status: 'ok', info: { postgres: { status: 'up' }, kafka: { brokers: 1 }, messaging: { group: 'order' } } });
    state.postgres = false;
    const down = await ready(app, admin);
    expect([down.status, down.body]).toMatchObject([503, { status: 'error', error: { postgres: { status: 'down', message: 'connection refused' } } }]);
  });

  it('a caller from HEALTH_DETAILS_FROM gets the details without a token; another address does not', async () => {
    expect((await ready(await serve(['127.0.0.0/8']))).body).toMatchObject({ status: 'ok', info: { messaging: { handles: ['inventory.stock-reserved@1'] } } });
    expect((await ready(await serve(['10.0.0.0/8']))).body).toEqual({ status: 'ok' });
  });

  it('an open breaker is a detail, not a reason to be not-ready: anyone still gets 200 {"status":"ok"}', async () => {
    const app = await serve([]);
    state.breaker = 'open';
    expect(await ready(app).then((r) => [r.status, r.body])).toEqual([200, { status: 'ok' }]);
    const details = await ready(app, signed(['admin']));
    expect([details.status, details.body.info.breakers]).toEqual([200, { status: 'up', breakers: [{ consumer: 'order', dependency: 'database', state: 'open', since: '2026-12-07T12:00:00.000Z' }] }]);
  });

  it('a token that does not verify is refused (401), not treated as anonymous', async () => {
    const app = await serve(['127.0.0.0/8']);
    const forged = token(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey, 'h1', { realm_access: { roles: ['admin'] } });
    const res = await ready(app, forged);
    expect([res.status, res.body.code]).toEqual([401, 'AUTH.TOKEN_INVALID']);
  });
});
