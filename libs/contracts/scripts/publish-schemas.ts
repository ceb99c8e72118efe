// npm run contracts:publish: writes libs/contracts/schemas/<type>.v<version>.json for new message
// versions and compatible changes; exits 1, writing nothing for them, on breaking changes.
import { ALL_MESSAGES } from '../src/lib/registry';
import { publishSchemas } from '../src/lib/published-schemas';

const result = publishSchemas(ALL_MESSAGES);
for (const name of result.written) console.log(`published  ${name}`);
console.log(`${result.unchanged.length} unchanged, ${result.written.length} written, ${result.refused.length} refused`);
for (const { message, problems } of result.refused) {
  console.error(`REFUSED    ${message}: breaking changes need a new version (<name>.v${'<n+1>'}.ts):`);
  for (const p of problems) console.error(`             ${p}`);
}
process.exit(result.refused.length > 0 ? 1 : 0);
