import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * The console acts on the shop as its admin user for whoever can open it (the browser does not
 * sign in yet): it must not be reachable from another machine, so only loopback addresses bind.
 */
const LOOPBACK = ['127.0.0.1', 'localhost'];

const port = (fallback: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a TCP port number')
    .transform(Number)
    .refine((n) => n >= 1 && n <= 65535, 'must be between 1 and 65535')
    .default(fallback);

const httpUrl = (fallback: string) =>
  z
    .url({ protocol: /^https?$/, error: `must be an http(s) URL such as ${fallback}` })
    .default(fallback)
    .transform((u) => u.replace(/\/+$/, ''));

/** Everything the console reads from its environment, validated at boot. */
export const configSchema = z
  .object({
    HOST: z
      .string()
      .default('127.0.0.1')
      .refine((h) => LOOPBACK.includes(h), `must be a loopback address (${LOOPBACK.join(', ')}): the console acts as the shop's admin for anyone who reaches it`),
    PORT: port(3100),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** The order service's REST API, which the console reads orders from. */
    ORDER_API_URL: httpUrl('http://127.0.0.1:3000'),
    /** The shop realm of the identity provider (Keycloak locally). */
    OIDC_ISSUER: httpUrl('http://127.0.0.1:8180/realms/shop'),
    /** The public client that allows the password grant (the same one `npm run token` uses). */
    CONSOLE_OIDC_CLIENT_ID: z.string().min(1).default('shop-cli'),
    /** The realm user the console signs in as; it needs the realm role `admin` to read every order. */
    CONSOLE_ADMIN_USER: z.string().min(1).default('shop-admin'),
    /** Its password; locally it defaults to the one in the realm file (see adminPassword below). */
    CONSOLE_ADMIN_PASSWORD: z.string().min(1).optional(),
    /** The realm file that holds the local users' passwords: read only when CONSOLE_ADMIN_PASSWORD is not set. */
    CONSOLE_REALM_FILE: z.string().min(1).default(join(__dirname, '../../../scripts/infra/keycloak/shop-realm.json')),
    /** The built web application (apps/console-web), served as static files. */
    CONSOLE_WEB_DIR: z.string().min(1).default(join(__dirname, '../console-web')),
  })
  .transform((c, ctx) => {
    const password = c.CONSOLE_ADMIN_PASSWORD ?? localPassword(c.CONSOLE_REALM_FILE, c.CONSOLE_ADMIN_USER);
    if (!password) {
      ctx.addIssue({
        code: 'custom',
        path: ['CONSOLE_ADMIN_PASSWORD'],
        message: `is required: ${c.CONSOLE_ADMIN_USER} has no password in ${c.CONSOLE_REALM_FILE}, the local default`,
      });
      return z.NEVER;
    }
    return { ...c, CONSOLE_ADMIN_PASSWORD: password };
  });

export type ConsoleConfig = z.infer<typeof configSchema>;

interface RealmFile {
  users?: Array<{ username: string; credentials?: Array<{ type: string; value: string }> }>;
}

/** A local user's password from the realm file, as scripts/token.mts reads it; undefined when there is none. */
function localPassword(realmFile: string, username: string): string | undefined {
  if (!existsSync(realmFile)) return undefined;
  const realm = JSON.parse(readFileSync(realmFile, 'utf8')) as RealmFile;
  return realm.users?.find((u) => u.username === username)?.credentials?.find((c) => c.type === 'password')?.value;
}

/** Validates the environment; prints every problem and exits 1 on a bad one (a bad deploy stops at boot). */
export function loadConfigOrExit(env: Record<string, string | undefined> = process.env): ConsoleConfig {
  const result = configSchema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `  - ${i.path.map(String).join('.') || '(environment)'}: ${i.message}`);
  process.stderr.write(`console: invalid configuration\n${problems.join('\n')}\n`);
  process.exit(1);
}
