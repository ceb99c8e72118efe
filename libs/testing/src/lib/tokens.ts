import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { infra, repoRoot } from './infra';

interface RealmUser {
  id: string;
  username: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  serviceAccountClientId?: string;
  credentials?: Array<{ type: string; value: string }>;
}

const realm = JSON.parse(readFileSync(join(repoRoot, 'scripts/infra/keycloak/shop-realm.json'), 'utf8')) as {
  users: RealmUser[];
  clients: Array<{ clientId: string; secret?: string }>;
};

/**
 * The realm's confidential ops client: its service account has the admin role, and its tokens (client
 * credentials grant) are how tools and tests act as an admin. `tokens.of(OPS_CLIENT)` is one.
 */
export const OPS_CLIENT = 'shop-ops';

/**
 * The ops client's secret, as Keycloak resolves the realm file's `${SHOP_OPS_CLIENT_SECRET:<default>}`
 * at import: the variable when set, else the local default.
 */
function opsClientSecret(): string {
  const secret = realm.clients.find((c) => c.clientId === OPS_CLIENT)?.secret;
  const placeholder = /^\$\{(\w+):([^}]*)\}$/.exec(secret ?? '');
  if (!placeholder) throw new Error(`the realm file has no client ${OPS_CLIENT} with a \${VARIABLE:default} secret`);
  return process.env[placeholder[1]] ?? placeholder[2];
}

function realmUser(username: string): RealmUser {
  const user = realm.users.find((u) => u.username === username);
  if (!user) throw new Error(`no user ${username} in scripts/infra/keycloak/shop-realm.json (users: ${realm.users.map((u) => u.username).join(', ')})`);
  return user;
}

/** The customer id the shop sees for a realm user: the `sub` of their tokens (the realm file fixes it). */
export const subjectOf = (username: string): string => realmUser(username).id;

/**
 * The address and name the shop uses for a realm user's orders: their tokens' `email` and `name`
 * claims (Keycloak's name is "firstName lastName").
 */
export function customerOf(username: string): { email: string; name: string } {
  const user = realmUser(username);
  if (!user.email) throw new Error(`${username} has no email in scripts/infra/keycloak/shop-realm.json: the shop refuses their orders`);
  return { email: user.email, name: [user.firstName, user.lastName].filter(Boolean).join(' ') || username };
}

function passwordGrant(username: string): Record<string, string> {
  const user = realmUser(username);
  const password = user.credentials?.find((c) => c.type === 'password')?.value;
  if (!password) throw new Error(`no password for ${username} in the realm file (an admin token: tokens.of(OPS_CLIENT))`);
  return { grant_type: 'password', client_id: 'shop-cli', username, password };
}

/**
 * Access tokens from a real Keycloak, as `npm run token` gets them: a customer's by the password
 * grant through the public client shop-cli, an admin's as the ops client (`of(OPS_CLIENT)`: client
 * credentials; the realm refuses admins the password grant). Each is kept until 30 s before it
 * expires: a load of many requests asks Keycloak once per user per token lifetime (5 minutes), not
 * per request.
 */
export class Tokens {
  private readonly cache = new Map<string, { token: string; renewAt: number }>();

  constructor(readonly keycloakPort: number = infra.keycloakPort) {}

  get issuer(): string {
    return infra.oidcIssuer(this.keycloakPort);
  }

  /** A token of the realm user `username`, or of the ops client (an admin) for OPS_CLIENT. */
  async of(username: string): Promise<string> {
    const cached = this.cache.get(username);
    if (cached && Date.now() < cached.renewAt) return cached.token;
    const res = await fetch(`${this.issuer}/protocol/openid-connect/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(username === OPS_CLIENT ? { grant_type: 'client_credentials', client_id: OPS_CLIENT, client_secret: opsClientSecret() } : passwordGrant(username)),
      signal: AbortSignal.timeout(15_000),
    });
    const body = (await res.json()) as { access_token?: string; expires_in?: number; error?: string; error_description?: string };
    if (!res.ok || !body.access_token) throw new Error(`Keycloak refused a token for ${username}: HTTP ${res.status} ${body.error ?? ''} ${body.error_description ?? ''}`.trim());
    this.cache.set(username, { token: body.access_token, renewAt: Date.now() + ((body.expires_in ?? 60) - 30) * 1000 });
    return body.access_token;
  }

  /** `{ authorization: 'Bearer …' }` for `username` (or OPS_CLIENT). */
  async header(username: string): Promise<{ authorization: string }> {
    return { authorization: `Bearer ${await this.of(username)}` };
  }
}
