// `npm run -s token -- <user> [password]`: prints a bearer access token for a user of the local
// Keycloak realm `shop` (password grant through the public client shop-cli), and nothing else on
// stdout, so `curl -H "Authorization: Bearer $(npm run -s token -- alice)" ...` works.
// The password defaults to the user's local password in scripts/infra/keycloak/shop-realm.json.
// `npm run -s token -- --admin`: an admin token, by the client credentials grant of the confidential
// client shop-ops (its service account has the realm role admin); the secret is
// $SHOP_OPS_CLIENT_SECRET, else the local default the realm file names. The realm refuses the
// password grant to users with the admin role: shop-admin signs in to the console in the browser.
// Keycloak: http://127.0.0.1:$KEYCLOAK_PORT (default 8180), started by `npm run infra -- start keycloak`.
import { readFileSync } from 'node:fs';

interface RealmFile {
  realm: string;
  users: { username: string; realmRoles?: string[]; serviceAccountClientId?: string; credentials?: { type: string; value: string }[] }[];
  clients: { clientId: string; secret?: string }[];
}

const CLIENT_ID = 'shop-cli';
const OPS_CLIENT_ID = 'shop-ops';
const usage = 'usage: npm run -s token -- <user> [password]   (a customer: alice, bob, ...)\n       npm run -s token -- --admin               (an admin token: the ops client shop-ops)';
const realmFile = new URL('./infra/keycloak/shop-realm.json', import.meta.url);

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

const args = process.argv.slice(2);
const admin = args.length === 1 && args[0] === '--admin';
const [requestedUser, givenPassword, ...extra] = admin ? [] : args;
if (!admin && (!requestedUser || extra.length > 0 || requestedUser.startsWith('-'))) fail(usage);

const realm = JSON.parse(readFileSync(realmFile, 'utf8')) as RealmFile;
const people = realm.users.filter((u) => !u.serviceAccountClientId);
const known = people.map((u) => u.username);

const port = process.env['KEYCLOAK_PORT'] ?? '8180';
if (!/^\d{1,5}$/.test(port)) fail(`KEYCLOAK_PORT must be a port number, got '${port}'`);
const tokenUrl = `http://127.0.0.1:${port}/realms/${realm.realm}/protocol/openid-connect/token`;

/**
 * The ops client's secret: SHOP_OPS_CLIENT_SECRET when set, else the default of the realm file's
 * placeholder `${SHOP_OPS_CLIENT_SECRET:<default>}` (Keycloak resolves the same placeholder at import).
 */
function opsSecret(): { variable: string; secret: string } {
  const client = realm.clients.find((c) => c.clientId === OPS_CLIENT_ID) ?? fail(`no client ${OPS_CLIENT_ID} in ${realmFile.pathname}`);
  const placeholder = /^\$\{(\w+):([^}]*)\}$/.exec(client.secret ?? '') ?? fail(`the secret of ${OPS_CLIENT_ID} in ${realmFile.pathname} is not a \${VARIABLE:default} placeholder`);
  const [, variable, localDefault] = placeholder;
  const secret = process.env[variable] ?? localDefault;
  if (secret === '') fail(`${variable} is empty: set it to the secret of ${OPS_CLIENT_ID} that Keycloak was started with, or unset it for the local default`);
  return { variable, secret };
}

function grant(): { form: Record<string, string>; refused: (error: string) => string } {
  if (admin) {
    const { variable, secret } = opsSecret();
    return {
      form: { grant_type: 'client_credentials', client_id: OPS_CLIENT_ID, client_secret: secret },
      refused: (error) => `Keycloak refused the client ${OPS_CLIENT_ID}: ${error} (is ${variable} the secret Keycloak was started with? ${variable in process.env ? 'it is set here' : 'it is not set here, so the local default was sent'})`,
    };
  }
  const username = requestedUser ?? fail(usage);
  const user = people.find((u) => u.username === username);
  if (user?.realmRoles?.includes('admin')) {
    fail(`${username} has the admin role, and the realm refuses admins the password grant (they sign in to the console in the browser). An admin token: npm run -s token -- --admin`);
  }
  if (!user && givenPassword === undefined) fail(`unknown user '${username}' in realm ${realm.realm} (users: ${known.join(', ')}; an admin token: npm run -s token -- --admin)`);
  const password = givenPassword ?? user?.credentials?.find((c) => c.type === 'password')?.value ?? fail(`no password for '${username}' in ${realmFile.pathname}`);
  return {
    form: { grant_type: 'password', client_id: CLIENT_ID, username, password },
    refused: (error) => `Keycloak refused ${username}: ${error} (unknown user, wrong password, or locked for a while after repeated wrong passwords; users: ${known.join(', ')})`,
  };
}

const { form, refused } = grant();
let response: Response;
try {
  response = await fetch(tokenUrl, {
    method: 'POST',
    // JSON errors: Keycloak answers a denied step of its flow with an HTML page unless asked for JSON.
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(form),
    signal: AbortSignal.timeout(10_000),
  });
} catch (e) {
  fail(`Keycloak is not answering on 127.0.0.1:${port} (${(e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message}): start it with npm run infra -- start keycloak`);
}
const body = (await response.json().catch(() => ({}))) as { access_token?: string; error?: string; error_description?: string };
if (response.status === 404) fail(`no realm '${realm.realm}' on 127.0.0.1:${port}: is that the shop's Keycloak (npm run infra -- start keycloak)?`);
if (['invalid_grant', 'invalid_client', 'unauthorized_client'].includes(body.error ?? '') || response.status === 401) {
  fail(refused(`${body.error ?? `HTTP ${response.status}`}${body.error_description ? `: ${body.error_description}` : ''}`));
}
if (!response.ok || !body.access_token) fail(`token request failed: HTTP ${response.status} ${body.error ?? ''} ${body.error_description ?? ''}`.trim());
console.log(body.access_token);
