import { resolve } from 'node:path';

/** Where the generated event catalog lives (the repository's docs/). */
export const DOCS_DIR = resolve(__dirname, '../../../../docs');
