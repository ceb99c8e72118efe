import { Parser } from '@asyncapi/parser';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildAsyncApi, messageId, renderEventCatalog } from './asyncapi';
import { DOCS_DIR } from './docs-files';
import { ALL_MESSAGES, ALL_TOPICS } from './registry';
import { TOPOLOGY } from './topology';

/** The generated event catalog: current, valid AsyncAPI 3, complete. */
describe('AsyncAPI document and event catalog', () => {
  const parser = new Parser();
  const errorsOf = async (doc: unknown) => (await parser.parse(JSON.stringify(doc))).diagnostics.filter((d) => d.severity === 0).map((d) => `${d.path.join('.')}: ${d.message}`);

  it('the committed docs are what the contracts generate (run npm run contracts:docs after a change)', () => {
    expect(JSON.parse(readFileSync(resolve(DOCS_DIR, 'asyncapi.json'), 'utf8'))).toEqual(buildAsyncApi());
    expect(readFileSync(resolve(DOCS_DIR, 'event-catalog.md'), 'utf8')).toBe(renderEventCatalog());
  });

  it('is valid AsyncAPI 3 for the official parser, with every topic and message', async () => {
    const parsed = await parser.parse(JSON.stringify(buildAsyncApi()));
    expect(parsed.diagnostics.filter((d) => d.severity === 0)).toEqual([]);
    const document = parsed.document;
    expect(document?.version()).toBe('3.0.0');
    expect(document?.channels().all().map((c) => c.address()).sort()).toEqual([...ALL_TOPICS]);
    expect(document?.components().messages().all().map((m) => m.id()).sort()).toEqual(ALL_MESSAGES.map(messageId).sort());
  });

  it('the parser rejects a broken document (an operation on a channel that does not exist)', async () => {
    const doc = buildAsyncApi() as { operations: Record<string, { channel: { $ref: string } }> };
    const first = Object.keys(doc.operations)[0];
    doc.operations[first].channel = { $ref: '#/channels/no.such.topic' };
    expect((await errorsOf(doc)).length).toBeGreaterThan(0);
  });

  it('every message has a sender, and every received message is sent by someone', () => {
    const sent = new Set(Object.values(TOPOLOGY).flatMap((s) => s.sends));
    expect(ALL_MESSAGES.filter((m) => !sent.has(m)).map(messageId)).toEqual([]);
    const received = Object.values(TOPOLOGY).flatMap((s) => s.receives);
    expect(received.filter((m) => !sent.has(m)).map(messageId)).toEqual([]);
  });
});
