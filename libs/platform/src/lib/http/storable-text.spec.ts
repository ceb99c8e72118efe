import { nonBlankText, storableString } from './storable-text';
import { openApiSchema } from './openapi';

describe('strings Postgres can store', () => {
  it('refuses NUL and unpaired surrogates (Postgres would fail on them: a 500), accepts the rest of Unicode', () => {
    const schema = storableString();
    for (const bad of ['a\u0000b', '\ud800', 'x\udfff', '\udc00\ud800']) expect(schema.safeParse(bad).success).toBe(false);
    for (const good of ['', 'plain', 'ok\u0012', '😀 emoji (a surrogate pair)', 'Ærøskøbing', '\u200b']) expect(schema.safeParse(good).success).toBe(true);
    expect(schema.safeParse('a\u0000b').error?.issues[0]?.message).toBe('must not contain NUL (U+0000)');
    expect(schema.safeParse('\ud800').error?.issues[0]?.message).toBe('must be well-formed Unicode (it has an unpaired surrogate)');
  });

  it('non-blank text: checked as sent (blank, NUL, length), stored trimmed', () => {
    const text = nonBlankText(5);
    expect(text.parse(' abc ')).toBe('abc');
    for (const blank of ['', ' ', '\t\n', '\u00a0\u3000', '\ufeff']) expect(text.safeParse(blank).success).toBe(false);
    expect(text.safeParse('ab\u0000').success).toBe(false);
    expect(text.safeParse('abcdef').success).toBe(false);
    expect(text.safeParse('\u0012').success).toBe(true);
  });

  it('documents exactly that in the OpenAPI schema: the same pattern, so a fuzzer generates what the server accepts', () => {
    type Doc = { pattern?: string; maxLength?: number; allOf?: Doc[] };
    const doc = openApiSchema(nonBlankText(5), 'input') as Doc;
    expect(doc.maxLength).toBe(5);
    const patterns = [doc, ...(doc.allOf ?? [])].flatMap((d) => (d.pattern ? [new RegExp(d.pattern)] : []));
    expect(patterns.length).toBeGreaterThan(0);
    for (const s of ['a', ' a ', '\u0012', 'a\u0000', ' ', '\ufeff', '', '\u2003x']) {
      expect([s, patterns.every((p) => p.test(s))]).toEqual([s, nonBlankText(99).safeParse(s).success]);
    }
  });
});
