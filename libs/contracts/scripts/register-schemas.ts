// npm run contracts:register: registers every message version's JSON Schema in the schema registry
// (SCHEMA_REGISTRY_URL, default the local one, http://127.0.0.1:$REGISTRY_PORT/apis/ccompat/v7)
// under the subject <type>.v<version>, each subject set to BACKWARD. Exits 1, with the registry's
// message, if the registry refuses a schema as incompatible; 2 if it cannot be reached.
//
// npm run contracts:register -- --check: the schema gate asked of the registry instead (registers
// the published schemas, then checks each changed one; see registryBreakingChanges). Use it on a
// registry of your own: it registers the published files, not the current schemas.
import {
  registerSchemas,
  registryBreakingChanges,
} from '../src/lib/schema-registration';
import { SchemaRegistryClient } from '../src/lib/schema-registry';
import { ALL_MESSAGES } from '../src/lib/registry';

const url =
  process.env['SCHEMA_REGISTRY_URL'] ||
  `http://127.0.0.1:${process.env['REGISTRY_PORT'] || 8081}/apis/ccompat/v7`;
const check = process.argv.includes('--check');

async function main(): Promise<number> {
  // Three tries per call: npm run shop runs this right after the registry reported ready.
  const client = new SchemaRegistryClient(url, { attempts: 3 });
  if (check) {
    const verdicts = await registryBreakingChanges(client, ALL_MESSAGES);
    for (const { subject, problem } of verdicts)
      console.error(`INCOMPATIBLE ${subject}: ${problem}`);
    console.log(
      `${ALL_MESSAGES.length} message versions checked against ${url}: ${verdicts.length} incompatible`,
    );
    return verdicts.length > 0 ? 1 : 0;
  }
  console.log(
    `registering ${ALL_MESSAGES.length} message versions in ${url} (subject <type>.v<version>, compatibility BACKWARD)`,
  );
  const results = await registerSchemas(client, ALL_MESSAGES);
  for (const r of results) {
    if (r.outcome === 'refused')
      console.error(`REFUSED     ${r.subject}: ${r.problem}`);
    else
      console.log(
        `${r.outcome.padEnd(11)} ${r.subject} (id ${r.id}, version ${r.version})`,
      );
  }
  const count = (outcome: string) =>
    results.filter((r) => r.outcome === outcome).length;
  console.log(
    `${count('registered')} registered, ${count('unchanged')} unchanged, ${count('refused')} refused`,
  );
  if (count('refused') > 0)
    console.error(
      'an incompatible change to a published message needs a new version (<name>.v<n+1>.ts): see libs/contracts/README.md',
    );
  return count('refused') > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`contracts:register: ${error.message}`);
    process.exit(2);
  },
);
