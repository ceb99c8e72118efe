import { breakingChanges } from './compatibility';
import { publishedFiles, readPublished } from './published-schemas';
import { ALL_MESSAGES, findMessage } from './registry';

/**
 * The gate: every message version is held to its published schema. A new version must be
 * published (`npm run contracts:publish`); an existing one may only change compatibly.
 */
describe('published message schemas', () => {
  it.each(ALL_MESSAGES.map((m) => [`${m.type} v${m.version}`, m] as const))('%s is published and still compatible', (name, m) => {
    const published = readPublished(m);
    if (!published) throw new Error(`${name} has no published schema: run npm run contracts:publish`);
    expect(breakingChanges(published, m.schema)).toEqual([]);
  });

  it('keeps every published version (a version consumers may still read is never deleted)', () => {
    const orphans = publishedFiles().filter((f) => {
      const match = /^(.+)\.v(\d+)\.json$/.exec(f);
      return !match || !findMessage(match[1], Number(match[2]));
    });
    expect(orphans).toEqual([]);
  });
});
