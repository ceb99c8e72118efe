// `npm run -s token -- <user> [password]`: prints a bearer access token for a user of the local
// Keycloak realm `shop` (password grant through the public client shop-cli), and nothing else on
// stdout, so `curl -H "Authorization: Bearer $(npm run -s token -- alice)" ...` works.
// The password defaults to the user's local password in scripts/infra/keycloak/shop-realm.json.
// Keycloak: http://127.0.0.1:$KEYCLOAK_PORT (default 8180), started by `npm run infra -- start keycloak`.
import { readFileSync } from 'node:fs';

interface RealmFile {
  realm: string;
  users: { username: string; credentials?: { type: string; value: string }[] }[];
}

const CLIENT_ID = 'shop-cli';
const usage = 'usage: npm run -s token -- <user> [password]';
const realmFile = new URL('./infra/keycloak/shop-realm.json', import.meta.url);

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

const [username, givenPassword, ...extra] = process.argv.slice(2);
if (!username || extra.length > 0 || username.startsWith('-')) fail(usage);

const realm = JSON.parse(readFileSync(realmFile, 'utf8')) as RealmFile;
const known = realm.users.map((u) => u.username);
const user = realm.users.find((u) => u.username === username);
if (!user && givenPassword === undefined) fail(`unknown user '${username}' in realm ${realm.realm} (users: ${known.join(', ')})`);
const password = givenPassword ?? user?.credentials?.find((c) => c.type === 'password')?.value ?? fail(`no password for '${username}' in ${realmFile.pathname}`);

const port = process.env['KEYCLOAK_PORT'] ?? '8180';
if (!/^\d{1,5}$/.test(port)) fail(`KEYCLOAK_PORT must be a port number, got '${port}'`);
const tokenUrl = `http://127.0.0.1:${port}/realms/${realm.realm}/protocol/openid-connect/token`;

let response: Response;
try {
  response = await fetch(tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'password', client_id: CLIENT_ID, username, password }),
    signal: AbortSignal.timeout(10_000),
  });
} catch (e) {
  fail(`Keycloak is not answering on 127.0.0.1:${port} (${(e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message}): start it with npm run infra -- start keycloak`);
}
const body = (await response.json().catch(() => ({}))) as { access_token?: string; error?: string; error_description?: string };
if (body.error === 'invalid_grant' || response.status === 401) {
  fail(`Keycloak refused ${username}: ${body.error_description ?? body.error ?? response.status} (unknown user or wrong password; users: ${known.join(', ')})`);
}
if (response.status === 404) fail(`no realm '${realm.realm}' on 127.0.0.1:${port}: is that the shop's Keycloak (npm run infra -- start keycloak)?`);
if (!response.ok || !body.access_token) fail(`token request failed: HTTP ${response.status} ${body.error ?? ''} ${body.error_description ?? ''}`.trim());
console.log(body.access_token);
