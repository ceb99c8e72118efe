// npm run contracts:docs: writes docs/asyncapi.json (AsyncAPI 3) and docs/event-catalog.md from libs/contracts.
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildAsyncApi, renderEventCatalog } from '../src/lib/asyncapi';
import { DOCS_DIR } from '../src/lib/docs-files';

mkdirSync(DOCS_DIR, { recursive: true });
writeFileSync(resolve(DOCS_DIR, 'asyncapi.json'), `${JSON.stringify(buildAsyncApi(), null, 2)}\n`);
writeFileSync(resolve(DOCS_DIR, 'event-catalog.md'), renderEventCatalog());
console.log(`wrote ${resolve(DOCS_DIR, 'asyncapi.json')} and ${resolve(DOCS_DIR, 'event-catalog.md')}`);
