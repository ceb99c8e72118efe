import { spawnSync } from 'node:child_process';
import { createPublicKey, verify, type JsonWebKey } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, startInfra, stopInfra } from '@shop/testing';

/**
 * The local OpenID Connect provider as a user gets it: `infra.sh start keycloak` (a real
 * Keycloak, here on a private port and run dir, never the shared default set), the shop realm
 * from scripts/infra/keycloak/shop-realm.json, and `npm run token`. What the order API will rely
 * on is checked on real tokens: RS256 signature by a key of the realm's JWKS, issuer, audience
 * shop-api, stable subject, roles. And what the realm refuses: the password grant to an admin,
 * and, for a while, any password of a user after repeated wrong ones (brute-force protection).
 */
const PORT = Number(process.env['IDENTITY_CHECKS_KEYCLOAK_PORT'] ?? 38180);
const ISSUER = `http://127.0.0.1:${PORT}/realms/shop`;
const TOKEN_URL = `${ISSUER}/protocol/openid-connect/token`;

interface RealmUser {
  id: string;
  username: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  realmRoles?: string[];
  serviceAccountClientId?: string;
  credentials: { type: string; value: string }[];
}
const realm = JSON.parse(readFileSync(join(repoRoot, 'scripts/infra/keycloak/shop-realm.json'), 'utf8')) as {
  users: RealmUser[];
  failureFactor: number;
  directGrantFlow: string;
  authenticatorConfig: { alias: string; config: Record<string, string> }[];
};
/** What the realm's deny step answers (its configured message, which Keycloak puts in `error`). */
const adminDenied = realm.authenticatorConfig.map((c) => c.config['denyErrorMessage']).find(Boolean) ?? fail('no denyErrorMessage in the realm file');
const user = (name: string) => realm.users.find((u) => u.username === name) ?? fail(`no user ${name} in the realm file`);
const passwordOf = (name: string) => user(name).credentials.find((c) => c.type === 'password')?.value ?? fail(`no password for ${name}`);

function fail(message: string): never {
  throw new Error(message);
}

let runDir: string;
const infraEnv = () => ({ SHOP_RUN_DIR: runDir, KEYCLOAK_PORT: String(PORT), KEYCLOAK_START_TIMEOUT: '300' });

function run(cmd: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(cmd, args, { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** A token request as the shop's tools send it: asking for JSON (a step of Keycloak's flow that denies access answers HTML otherwise). */
async function grant(form: Record<string, string>) {
  const res = await fetch(TOKEN_URL, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: new URLSearchParams(form) });
  return { status: res.status, body: (await res.json()) as { access_token?: string; token_type?: string; error?: string; error_description?: string } };
}

const passwordGrant = (username: string, password: string, clientId = 'shop-cli') => grant({ grant_type: 'password', client_id: clientId, username, password });

/** The ops client's local secret: the default of the realm file's `${SHOP_OPS_CLIENT_SECRET:<default>}`. */
const OPS_LOCAL_SECRET = 'ops-local';
const opsGrant = (secret = OPS_LOCAL_SECRET) => grant({ grant_type: 'client_credentials', client_id: 'shop-ops', client_secret: secret });

/** Keycloak's admin REST API for the realm, as the bootstrap admin of the master realm (infra's local default). */
async function realmAdmin(path: string, method = 'GET'): Promise<Response> {
  const login = await fetch(`http://127.0.0.1:${PORT}/realms/master/protocol/openid-connect/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'password', client_id: 'admin-cli', username: 'admin', password: 'admin' }),
  });
  const { access_token: token } = (await login.json()) as { access_token?: string };
  if (!token) throw new Error(`the master realm's admin got no token: HTTP ${login.status}`);
  return fetch(`http://127.0.0.1:${PORT}/admin/realms/shop${path}`, { method, headers: { authorization: `Bearer ${token}` } });
}

async function tokenFor(username: string): Promise<string> {
  const { status, body } = await passwordGrant(username, passwordOf(username));
  expect(status).toBe(200);
  expect(body.token_type).toBe('Bearer');
  return body.access_token ?? fail('no access_token');
}

interface Claims {
  iss: string;
  sub: string;
  aud: string | string[];
  azp: string;
  typ: string;
  iat: number;
  exp: number;
  preferred_username: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
  realm_access?: { roles: string[] };
}

function decode(jwt: string) {
  const parts = jwt.split('.');
  expect(parts).toHaveLength(3);
  const [h, p, s] = parts;
  return {
    header: JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as { alg: string; kid: string; typ: string },
    claims: JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Claims,
    signingInput: Buffer.from(`${h}.${p}`),
    signature: Buffer.from(s, 'base64url'),
  };
}

const roles = (c: Claims) => c.realm_access?.roles ?? [];
const audiences = (c: Claims) => (Array.isArray(c.aud) ? c.aud : [c.aud]);

/** Pids of the server's whole process group (kc.sh execs java in place; the group is what stop kills). */
function groupPids(leader: number): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        const fields = readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1].split(' ');
        return Number(fields[2]) === leader && fields[0] !== 'Z';
      } catch {
        return false; // gone meanwhile
      }
    })
    .map(Number);
}

/** Processes whose command line names this suite's run dir (the Keycloak home lives there). */
function processesOfRunDir(): string[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d) && Number(d) !== process.pid)
    .flatMap((d) => {
      try {
        const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' ');
        return cmd.includes(runDir) ? [`${d}: ${cmd.slice(0, 200)}`] : [];
      } catch {
        return [];
      }
    });
}

beforeAll(async () => {
  runDir = mkdtempSync(join(tmpdir(), 'identity-checks-'));
  await startInfra(['keycloak'], infraEnv());
}, 360_000);

afterAll(async () => {
  try {
    await stopInfra(['keycloak'], infraEnv());
  } finally {
    rmSync(runDir, { recursive: true, force: true });
  }
}, 60_000);

describe('Keycloak started by scripts/infra (infra.sh start keycloak)', () => {
  it('reports itself running and serves the realm discovery document with the 127.0.0.1 issuer', async () => {
    const status = run('bash', ['scripts/infra/infra.sh', 'status', 'keycloak'], infraEnv());
    expect(status.stdout).toMatch(/^keycloak\s+running\s/);
    expect(status.status).toBe(0);
    const res = await fetch(`${ISSUER}/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { issuer: string; token_endpoint: string; jwks_uri: string; grant_types_supported: string[] };
    expect(doc.issuer).toBe(ISSUER);
    expect(doc.token_endpoint).toBe(TOKEN_URL);
    expect(doc.jwks_uri).toBe(`${ISSUER}/protocol/openid-connect/certs`);
    expect(doc.grant_types_supported).toContain('password');
  });

  it('listens on 127.0.0.1 only: its HTTP port, no management port, nothing on another address', () => {
    const leader = Number(readFileSync(join(runDir, 'pids/keycloak.pid'), 'utf8').trim());
    const pids = groupPids(leader);
    expect(pids).toContain(leader);
    const ss = run('ss', ['-Hltnp']);
    expect(ss.status).toBe(0);
    const listeners = ss.stdout
      .split('\n')
      .filter((line) => pids.some((pid) => line.includes(`pid=${pid},`)))
      .map((line) => line.trim().split(/\s+/)[3].replace('[::ffff:127.0.0.1]', '127.0.0.1'));
    expect(listeners).toContain(`127.0.0.1:${PORT}`);
    expect(listeners).not.toContain('127.0.0.1:9000'); // the management interface (health, metrics) is off
    // Besides HTTP, the JVM's transaction manager (Narayana's recovery listener) holds a
    // random loopback port: every listener must be on 127.0.0.1.
    for (const address of listeners) expect(address).toMatch(/^127\.0\.0\.1:\d+$/);
  });

  it('gives alice, by password grant, an RS256 access token for shop-api signed by a key of the realm JWKS, role customer only', async () => {
    const token = decode(await tokenFor('alice'));
    expect(token.header.alg).toBe('RS256');

    const jwks = (await (await fetch(`${ISSUER}/protocol/openid-connect/certs`)).json()) as { keys: (JsonWebKey & { kid: string; use?: string; alg?: string })[] };
    const key = jwks.keys.find((k) => k.kid === token.header.kid);
    expect(key).toMatchObject({ kty: 'RSA', use: 'sig', alg: 'RS256' });
    const publicKey = createPublicKey({ key: key as JsonWebKey, format: 'jwk' });
    expect(verify('RSA-SHA256', token.signingInput, publicKey, token.signature)).toBe(true);
    // The same check refuses a token whose claims were altered.
    const forged = Buffer.from(token.signingInput.toString().replace(/\.[^.]+$/, `.${Buffer.from(JSON.stringify({ ...token.claims, sub: 'mallory' })).toString('base64url')}`));
    expect(verify('RSA-SHA256', forged, publicKey, token.signature)).toBe(false);

    const c = token.claims;
    expect(c.iss).toBe(ISSUER);
    expect(audiences(c)).toContain('shop-api');
    expect(c.azp).toBe('shop-cli');
    expect(c.typ).toBe('Bearer');
    expect(c.preferred_username).toBe('alice');
    expect(c.sub).toBe(user('alice').id); // stable customer id, from the realm file
    expect(roles(c)).toContain('customer');
    expect(roles(c)).not.toContain('admin');
    expect(c.exp - c.iat).toBe(300);
    expect(c.exp * 1000).toBeGreaterThan(Date.now());
  });

  it('gives bob and carol their own customer tokens', async () => {
    for (const name of ['bob', 'carol']) {
      const c = decode(await tokenFor(name)).claims;
      expect(c.preferred_username).toBe(name);
      expect(c.sub).toBe(user(name).id);
      expect(roles(c)).toContain('customer');
      expect(roles(c)).not.toContain('admin');
    }
    expect(new Set(realm.users.map((u) => u.id)).size).toBe(realm.users.length);
  });

  // The order API mails the customer at the token's `email` and greets its `name`, never at what
  // a request names: every customer of the realm (the demo ones and the load's) must have both.
  it("puts every customer's email (verified) and full name in their access token, as the order API needs", async () => {
    const customers = realm.users.filter((u) => u.realmRoles?.includes('customer'));
    expect(customers.map((u) => u.username)).toEqual(expect.arrayContaining(['alice', 'bob', 'carol', 'dave', 'shopper-01', 'shopper-20', 'shopper-refused']));
    for (const u of customers) {
      const c = decode(await tokenFor(u.username)).claims;
      expect([u.username, c.email, c.email_verified, c.name]).toEqual([u.username, u.email, true, `${u.firstName} ${u.lastName}`]);
      expect(c.email).toMatch(/^[^@\s]+@[^@\s]+\.[a-z]+$/);
    }
  });

  it("gives the ops client shop-ops, by client credentials with its local secret, an admin token for shop-api: role admin (not customer), issued to shop-ops, its service account's fixed subject", async () => {
    const { status, body } = await opsGrant();
    expect(status).toBe(200);
    const token = decode(body.access_token ?? fail('no access_token'));
    expect(token.header.alg).toBe('RS256');
    const c = token.claims;
    expect(c.iss).toBe(ISSUER);
    expect(audiences(c)).toContain('shop-api');
    expect(c.azp).toBe('shop-ops');
    expect(c.typ).toBe('Bearer');
    const account = realm.users.find((u) => u.serviceAccountClientId === 'shop-ops') ?? fail('no service account user of shop-ops in the realm file');
    expect([c.sub, c.preferred_username]).toEqual([account.id, 'service-account-shop-ops']);
    expect(roles(c)).toContain('admin');
    expect(roles(c)).not.toContain('customer');
    expect(c.exp - c.iat).toBe(300);
  });

  // Keycloak 26.7 names a wrong client secret `unauthorized_client` (401), not RFC 6749's invalid_client.
  it('refuses the ops client a wrong secret and the password grant (it has none), and the public client shop-cli a service account', async () => {
    const wrong = await opsGrant(`${OPS_LOCAL_SECRET}-wrong`);
    expect([wrong.status, wrong.body.error, wrong.body.error_description, wrong.body.access_token]).toEqual([401, 'unauthorized_client', 'Invalid client or Invalid client credentials', undefined]);
    const password = await grant({ grant_type: 'password', client_id: 'shop-ops', client_secret: OPS_LOCAL_SECRET, username: 'alice', password: passwordOf('alice') });
    expect([password.status, password.body.error, password.body.error_description, password.body.access_token]).toEqual([400, 'unauthorized_client', 'Client not allowed for direct access grants', undefined]);
    const publicClient = await grant({ grant_type: 'client_credentials', client_id: 'shop-cli' });
    expect([publicClient.status, publicClient.body.error, publicClient.body.access_token]).toEqual([401, 'unauthorized_client', undefined]);
  });

  // Keycloak 26.7 answers a refused password grant with 400 invalid_grant (RFC 6749 section 5.2),
  // not the 401 of older releases.
  it('refuses a wrong password and an unknown user with 400 invalid_grant and no token', async () => {
    const wrong = await passwordGrant('alice', `${passwordOf('alice')}-wrong`);
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toBe('invalid_grant');
    expect(wrong.body.access_token).toBeUndefined();
    const unknown = await passwordGrant('mallory', 'whatever');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toBe('invalid_grant');
    expect(unknown.body.access_token).toBeUndefined();
  });

  it('npm run -s token -- alice prints one line, a token of alice from this Keycloak', () => {
    const r = run('npm', ['run', '-s', 'token', '--', 'alice'], { KEYCLOAK_PORT: String(PORT) });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const c = decode(r.stdout.trim()).claims;
    expect(c.iss).toBe(ISSUER);
    expect(c.preferred_username).toBe('alice');
  });

  it('the token script names the problem for an unknown user or a wrong password', () => {
    const unknown = run(process.execPath, ['scripts/token.mts', 'mallory'], { KEYCLOAK_PORT: String(PORT) });
    expect(unknown.status).toBe(2);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toContain("unknown user 'mallory'");
    const wrong = run(process.execPath, ['scripts/token.mts', 'bob', 'not-his-password'], { KEYCLOAK_PORT: String(PORT) });
    expect(wrong.status).toBe(2);
    expect(wrong.stdout).toBe('');
    expect(wrong.stderr).toContain('Keycloak refused bob');
  });
});

// The realm binds its own direct grant flow (directGrantFlow): Keycloak's "direct grant" with a
// conditional step before the password check that denies users with the admin role. So an admin's
// password is never checked there, and the answer is the same whatever password was sent.
describe('the admin and the password grant', () => {
  it("binds the realm's own direct grant flow", async () => {
    const res = await realmAdmin('');
    expect(res.status).toBe(200);
    expect(((await res.json()) as { directGrantFlow: string }).directGrantFlow).toBe(realm.directGrantFlow);
  });

  it("refuses shop-admin the password grant with Keycloak's 401 and the deny step's message, with the right password or a wrong one alike, and gives no token", async () => {
    // A denied attempt counts as a failed sign-in (brute-force protection): two within a second
    // would lock shop-admin for a while, so the lock is lifted after each (as its wait would).
    const liftLock = async () => expect((await realmAdmin(`/attack-detection/brute-force/users/${user('shop-admin').id}`, 'DELETE')).status).toBe(204);
    const right = await passwordGrant('shop-admin', passwordOf('shop-admin'));
    await liftLock();
    expect([right.status, right.body.error, right.body.access_token]).toEqual([401, adminDenied, undefined]);
    expect(adminDenied).toMatch(/admins sign in through the browser/);
    const wrong = await passwordGrant('shop-admin', 'not-the-password');
    await liftLock();
    expect([wrong.status, wrong.body]).toEqual([right.status, right.body]);
    // Customers keep the password grant.
    expect((await passwordGrant('bob', passwordOf('bob'))).status).toBe(200);
  });

  it('npm run -s token -- --admin prints one line, a token of the ops client (role admin); -- shop-admin says how to get one', () => {
    const r = run('npm', ['run', '-s', 'token', '--', '--admin'], { KEYCLOAK_PORT: String(PORT) });
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const c = decode(r.stdout.trim()).claims;
    expect([c.iss, c.azp]).toEqual([ISSUER, 'shop-ops']);
    expect(roles(c)).toContain('admin');
    const person = run(process.execPath, ['scripts/token.mts', 'shop-admin'], { KEYCLOAK_PORT: String(PORT) });
    expect([person.status, person.stdout]).toEqual([2, '']);
    expect(person.stderr).toContain('An admin token: npm run -s token -- --admin');
  });

  it('the token script names SHOP_OPS_CLIENT_SECRET when Keycloak refuses the secret', () => {
    const r = run(process.execPath, ['scripts/token.mts', '--admin'], { KEYCLOAK_PORT: String(PORT), SHOP_OPS_CLIENT_SECRET: 'not-the-secret' });
    expect([r.status, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toContain('Keycloak refused the client shop-ops: unauthorized_client: Invalid client or Invalid client credentials');
    expect(r.stderr).toContain('is SHOP_OPS_CLIENT_SECRET the secret Keycloak was started with? it is set here');
  });
});

// Brute-force protection: after failureFactor wrong passwords in a row a user is locked for a
// while (waitIncrementSeconds, growing to maxFailureWaitSeconds), never for good. Correct sign-ins
// never count, so the tests, the bench's and the chaos run's customers (many sign-ins, right
// passwords) never trip it.
describe('brute-force protection', () => {
  const victim = 'carol';
  const bystander = 'dave';
  const bruteForce = async (name: string) => (await (await realmAdmin(`/attack-detection/brute-force/users/${user(name).id}`)).json()) as { disabled: boolean; numFailures: number };

  it('one wrong password locks nobody: the right one right after is accepted', async () => {
    expect((await passwordGrant(victim, 'a-typo')).body.error).toBe('invalid_grant');
    expect((await passwordGrant(victim, passwordOf(victim))).status).toBe(200);
    expect(await bruteForce(victim)).toMatchObject({ disabled: false, numFailures: 0 });
  });

  it(`locks a user after the realm's failureFactor wrong passwords in a row: then the right password is refused too, another user is unaffected, and the lock is temporary`, async () => {
    expect(realm.failureFactor).toBeGreaterThan(1);
    // Sent back to back, the second already locks (two failures within quickLoginCheckMilliSeconds).
    for (let i = 0; i < realm.failureFactor; i++) {
      const wrong = await passwordGrant(victim, `guess-${i}`);
      expect([wrong.status, wrong.body.error, wrong.body.access_token]).toEqual([400, 'invalid_grant', undefined]);
    }
    const right = await passwordGrant(victim, passwordOf(victim));
    expect([right.status, right.body.error, right.body.access_token]).toEqual([400, 'invalid_grant', undefined]);
    expect(await bruteForce(victim)).toMatchObject({ disabled: true });
    expect((await passwordGrant(bystander, passwordOf(bystander))).status).toBe(200);
    expect(await bruteForce(bystander)).toMatchObject({ disabled: false });
    // Temporary: the account itself stays enabled (a permanent lockout would disable it), and
    // lifting the lock (what the wait does) lets the right password in again.
    expect(((await (await realmAdmin(`/users/${user(victim).id}`)).json()) as { enabled: boolean }).enabled).toBe(true);
    expect((await realmAdmin(`/attack-detection/brute-force/users/${user(victim).id}`, 'DELETE')).status).toBe(204);
    expect((await passwordGrant(victim, passwordOf(victim))).status).toBe(200);
  });
});

describe('stopping Keycloak (libs/infra, what infra.sh stop keycloak runs)', () => {
  it('leaves no process of this run dir and frees the port', async () => {
    expect(processesOfRunDir()).not.toEqual([]);
    await stopInfra(['keycloak'], infraEnv());
    expect(processesOfRunDir()).toEqual([]);
    expect(existsSync(join(runDir, 'pids/keycloak.pid'))).toBe(false);
    expect(run('ss', ['-Hltn', `sport = :${PORT}`]).stdout.trim()).toBe('');
  });

  it('then the token script says how to start Keycloak', () => {
    const r = run(process.execPath, ['scripts/token.mts', 'alice'], { KEYCLOAK_PORT: String(PORT) });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('start it with npm run infra -- start keycloak');
  });
});
