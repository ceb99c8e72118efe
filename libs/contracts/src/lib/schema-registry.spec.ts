import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JsonSchema } from './message-definition';
import { ALL_MESSAGES } from './registry';
import { PERSONAL } from './schema-parts';
import {
  registeredSchemaText,
  SchemaRegistryClient,
  subjectOf,
} from './schema-registry';

/**
 * Keywords whose meaning is the same in JSON Schema drafts 4, 6, 7, 2019-09 and 2020-12. The
 * registry's compatibility checker (Apicurio 3.3.3) knows drafts up to 7 only, so the schemas are
 * registered without their 2020-12 `$schema` (registeredSchemaText); that is faithful only while
 * they use nothing else. `exclusiveMinimum`/`exclusiveMaximum` (a boolean in draft 4, a number
 * since 6), `$defs`, `prefixItems`, `unevaluatedProperties` and the like are not on the list.
 */
const PORTABLE_KEYWORDS = new Set([
  '$schema',
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'minItems',
  'maxItems',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'pattern',
  'format',
  'enum',
  'description',
  'title',
  // An annotation (which fields are personal data): every draft's validator ignores what it does not know.
  PERSONAL,
]);

function keywordsOutsidePortableSet(schema: JsonSchema, path = '$'): string[] {
  const found: string[] = [];
  for (const [keyword, value] of Object.entries(schema)) {
    if (!PORTABLE_KEYWORDS.has(keyword)) found.push(`${path}: ${keyword}`);
    if (keyword === 'properties') {
      for (const [name, sub] of Object.entries(
        value as Record<string, JsonSchema>,
      ))
        found.push(...keywordsOutsidePortableSet(sub, `${path}.${name}`));
    } else if (
      keyword === 'items' ||
      (keyword === 'additionalProperties' && typeof value === 'object')
    ) {
      found.push(
        ...keywordsOutsidePortableSet(value as JsonSchema, `${path}[]`),
      );
    }
  }
  return found;
}

describe('schema registry naming and registered form', () => {
  it('names one subject per message type and version, like the published file', () => {
    expect(ALL_MESSAGES.map(subjectOf)).toContain('order.confirmed.v1');
    expect(ALL_MESSAGES.map(subjectOf)).toContain('order.confirmed.v2');
    expect(new Set(ALL_MESSAGES.map(subjectOf)).size).toBe(ALL_MESSAGES.length);
  });

  it('registers the schema without its $schema keyword and otherwise unchanged', () => {
    for (const m of ALL_MESSAGES) {
      const registered = JSON.parse(registeredSchemaText(m.schema)) as Record<
        string,
        unknown
      >;
      const { $schema: _dialect, ...local } = m.schema as Record<
        string,
        unknown
      >;
      expect(registered).toEqual(local);
      expect(registered).not.toHaveProperty('$schema');
    }
  });

  it.each(ALL_MESSAGES.map((m) => [subjectOf(m), m.schema] as const))(
    '%s uses only keywords that mean the same in drafts 4 to 2020-12',
    (_subject, schema) => {
      expect(keywordsOutsidePortableSet(schema)).toEqual([]);
    },
  );

  it('notices a keyword outside the portable set (the check can fail)', () => {
    expect(
      keywordsOutsidePortableSet({
        type: 'object',
        properties: { n: { type: 'number', exclusiveMinimum: 0 } },
      }),
    ).toEqual(['$.n: exclusiveMinimum']);
  });

  it('refuses a registry URL that is not http(s)', () => {
    expect(() => new SchemaRegistryClient('127.0.0.1:8081')).toThrow(
      'schema registry URL must be http(s)://host[:port]/path, got "127.0.0.1:8081"',
    );
  });

  it('names a subject version by URL (what a CloudEvents dataschema would carry)', () => {
    expect(
      new SchemaRegistryClient(
        'http://127.0.0.1:8081/apis/ccompat/v7/',
      ).versionUrl('order.confirmed.v2', 3),
    ).toBe(
      'http://127.0.0.1:8081/apis/ccompat/v7/subjects/order.confirmed.v2/versions/3',
    );
  });
});

describe('SchemaRegistryClient when the registry does not answer', () => {
  /** A stand-in registry on 127.0.0.1 that resets the first `drops` connections, then lists one subject. */
  async function flakyRegistry(drops: number) {
    let requests = 0;
    const server = createServer((req, res) => {
      requests++;
      if (requests <= drops) return void req.socket.destroy();
      res.setHeader('content-type', 'application/vnd.schemaregistry.v1+json');
      res.end(JSON.stringify(['order.placed.v1']));
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/apis/ccompat/v7`;
    return { url, requests: () => requests, close: () => new Promise<void>((done) => server.close(() => done())) };
  }

  it('tries again, when told to, until the registry answers', async () => {
    const registry = await flakyRegistry(2);
    try {
      const client = new SchemaRegistryClient(registry.url, { attempts: 3, retryDelayMs: 10 });
      expect(await client.subjects()).toEqual(['order.placed.v1']);
      expect(registry.requests()).toBe(3);
    } finally {
      await registry.close();
    }
  });

  it('fails after its last try, naming the call, the registry and the tries; by default it tries once', async () => {
    const registry = await flakyRegistry(5);
    try {
      await expect(new SchemaRegistryClient(registry.url, { attempts: 2, retryDelayMs: 10 }).subjects()).rejects.toThrow(
        `list subjects: cannot reach the schema registry at ${registry.url} (UND_ERR_SOCKET, 2 tries)`,
      );
      expect(registry.requests()).toBe(2);
      await expect(new SchemaRegistryClient(registry.url).subjects()).rejects.toThrow(/^list subjects: cannot reach .* \(UND_ERR_SOCKET\); start it/);
      expect(registry.requests()).toBe(3);
    } finally {
      await registry.close();
    }
  });
});
