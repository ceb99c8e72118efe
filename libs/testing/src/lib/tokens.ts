import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { infra, repoRoot } from './infra';

interface RealmUser {
  id: string;
  username: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  credentials?: Array<{ type: string; value: string }>;
}

const realm = JSON.parse(readFileSync(join(repoRoot, 'scripts/infra/keycloak/shop-realm.json'), 'utf8')) as { users: RealmUser[] };

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

/**
 * Access tokens for the realm's users from a real Keycloak (password grant through the public
 * client shop-cli, as `npm run token` does), each kept until 30 s before it expires: a load of
 * many requests asks Keycloak once per user per token lifetime (5 minutes), not per request.
 */
export class Tokens {
  private readonly cache = new Map<string, { token: string; renewAt: number }>();

  constructor(readonly keycloakPort: number = infra.keycloakPort) {}

  get issuer(): string {
    return infra.oidcIssuer(this.keycloakPort);
  }

  async of(username: string): Promise<string> {
    const cached = this.cache.get(username);
    if (cached && Date.now() < cached.renewAt) return cached.token;
    const user = realmUser(username);
    const password = user.credentials?.find((c) => c.type === 'password')?.value;
    if (!password) throw new Error(`no password for ${username} in the realm file`);
    const res = await fetch(`${this.issuer}/protocol/openid-connect/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'password', client_id: 'shop-cli', username, password }),
      signal: AbortSignal.timeout(15_000),
    });
    const body = (await res.json()) as { access_token?: string; expires_in?: number; error_description?: string };
    if (!res.ok || !body.access_token) throw new Error(`Keycloak refused a token for ${username}: HTTP ${res.status} ${body.error_description ?? ''}`);
    this.cache.set(username, { token: body.access_token, renewAt: Date.now() + ((body.expires_in ?? 60) - 30) * 1000 });
    return body.access_token;
  }

  /** `{ authorization: 'Bearer …' }` for `username`. */
  async header(username: string): Promise<{ authorization: string }> {
    return { authorization: `Bearer ${await this.of(username)}` };
  }
}
