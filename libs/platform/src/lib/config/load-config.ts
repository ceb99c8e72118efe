import { z } from 'zod';

/** Thrown when the environment does not satisfy a service's config schema. Lists every bad setting. */
export class ConfigError extends Error {
  constructor(
    readonly service: string,
    readonly problems: readonly string[],
  ) {
    super(`${service}: invalid configuration\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const SECRET_NAME = /PASSWORD|SECRET|TOKEN|KEY/i;

/** Never echo a secret back into a log: hide secret settings and URL passwords. */
function describeValue(name: string, value: string | undefined): string {
  if (value === undefined) return 'not set';
  if (SECRET_NAME.test(name)) return 'value hidden';
  return `got ${JSON.stringify(value.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@'))}`;
}

/**
 * Validates `env` against `schema` and returns the typed config.
 * Throws a ConfigError naming each failing setting, so a bad deploy stops at boot with a clear message.
 */
export function loadConfig<S extends z.ZodType>(service: string, schema: S, env: Env): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.map(String).join('.') || '(environment)';
    return `${name}: ${issue.message} (${describeValue(name, env[name])})`;
  });
  throw new ConfigError(service, problems);
}

/**
 * For main.ts: print the problems and exit with status 1 before anything else starts.
 * With `--check-config` on the command line it only validates, then exits 0: deployment
 * checks use it to prove a container's environment is complete without starting anything.
 */
export function loadConfigOrExit<S extends z.ZodType>(
  service: string,
  schema: S,
  env: Env = process.env,
  argv: readonly string[] = process.argv,
): z.infer<S> {
  let config: z.infer<S>;
  try {
    config = loadConfig(service, schema, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  if (argv.includes('--check-config')) {
    process.stdout.write(`${service}: configuration OK\n`);
    process.exit(0);
  }
  return config;
}
