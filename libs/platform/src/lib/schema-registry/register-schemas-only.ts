import {
  registerSchemas,
  SchemaRegistryClient,
  TOPOLOGY,
  type MessageDefinition,
  type SchemaRegistryClientOptions,
  type ServiceName,
} from '@shop/contracts';
import { z } from 'zod';
import { ConfigError, loadConfig } from '../config/load-config';
import { urlSetting } from '../config/service-config';

export const REGISTER_SCHEMAS_FLAG = '--register-schemas';

/** True when the binary was started to register its schemas only (`main.js --register-schemas`). */
export function registrationRequested(
  argv: readonly string[] = process.argv,
): boolean {
  return argv.includes(REGISTER_SCHEMAS_FLAG);
}

// Registration reads SCHEMA_REGISTRY_URL only: it touches neither the database nor Kafka, so a
// deployment can run it with nothing else (docker-compose.yml's one-shot schema-init).
const registrationSettings = z.object({
  SCHEMA_REGISTRY_URL: urlSetting(
    'http://schema-registry:8080/apis/ccompat/v7',
  ),
});

export interface RegistrationOutput {
  out: (line: string) => void;
  err: (line: string) => void;
}

const processOutput: RegistrationOutput = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/**
 * `node dist/apps/<service>/main.js --register-schemas`: registers the schema of every message
 * this service sends (the contracts' TOPOLOGY) at SCHEMA_REGISTRY_URL with the contracts' own
 * registerSchemas() (each subject `<type>.v<version>` set to BACKWARD first; idempotent), prints
 * a line per subject and a summary, and resolves to the exit status: 0, or 1 when the URL is
 * missing or malformed, the registry refuses a schema (its message named with the subject) or
 * cannot be reached. The container image has no sources and no tsx, so this is how a deployment
 * registers (`npm run contracts:register` is the same for every message, from a checkout).
 */
export async function registerSchemasOnly(
  service: ServiceName,
  env: Record<string, string | undefined> = process.env,
  output: RegistrationOutput = processOutput,
  sends: ReadonlyArray<MessageDefinition<never>> = TOPOLOGY[service].sends,
  // An init job: a registry still starting, or stalled while a whole stack starts on a small
  // machine (compose on 2 cores: once for 30 s), gets six tries per call, 1 to 16 s apart.
  retry: SchemaRegistryClientOptions = { attempts: 6, retryDelayMs: 1000 },
): Promise<number> {
  let url: string;
  try {
    url = loadConfig(service, registrationSettings, env).SCHEMA_REGISTRY_URL;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    output.err(
      `${error.message}\n${REGISTER_SCHEMAS_FLAG} needs the schema registry's Confluent-compatible API`,
    );
    return 1;
  }
  if (sends.length === 0) {
    output.out(`${service}: sends no message, no schema to register at ${url}`);
    return 0;
  }
  let results: Awaited<ReturnType<typeof registerSchemas>>;
  try {
    results = await registerSchemas(
      new SchemaRegistryClient(url, retry),
      sends as readonly MessageDefinition[],
    );
  } catch (error) {
    // The client's messages name the call and its subject, e.g. "set order.placed.v1's
    // compatibility to BACKWARD: cannot reach the schema registry at ...".
    output.err(
      `${service}: registering its schemas at ${url} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    return 1;
  }
  for (const r of results) {
    if (r.outcome === 'refused')
      output.err(`${service}: REFUSED ${r.subject}: ${r.problem}`);
    else
      output.out(
        `${service}: ${r.outcome} ${r.subject} (id ${r.id}, version ${r.version})`,
      );
  }
  const count = (outcome: string) =>
    results.filter((r) => r.outcome === outcome).length;
  const summary = `${service}: ${results.length} schema(s) at ${url}: ${count('registered')} registered, ${count('unchanged')} unchanged, ${count('refused')} refused`;
  if (count('refused') === 0) {
    output.out(summary);
    return 0;
  }
  output.err(
    `${summary}; an incompatible change to a published message needs a new version (see libs/contracts/README.md)`,
  );
  return 1;
}
