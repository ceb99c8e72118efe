import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { MessageDefinition } from '../../src/lib/message-definition';
import { OrderConfirmedV1, OrderConfirmedV2 } from '../../src/lib/messages';
import { ALL_MESSAGES } from '../../src/lib/registry';
import {
  registerSchemas,
  registryBreakingChanges,
} from '../../src/lib/schema-registration';
import {
  registeredSchemaText,
  SchemaRegistryClient,
  SchemaRegistryError,
  subjectOf,
} from '../../src/lib/schema-registry';

/**
 * The message schemas in a real schema registry (Apicurio Registry 3.3.3, Confluent-compatible
 * API), started by this suite through the project's own script on private ports, empty.
 */
const repoRoot = resolve(__dirname, '../../../..');
const env = {
  ...process.env,
  SHOP_RUN_DIR: '/tmp/shop-contracts-registry-it',
  REGISTRY_PORT: '18781',
  REGISTRY_MANAGEMENT_PORT: '18782',
};
const url = `http://127.0.0.1:${env.REGISTRY_PORT}/apis/ccompat/v7`;
const client = new SchemaRegistryClient(url);
const infra = (command: 'start' | 'stop') =>
  execFileSync(
    'bash',
    [resolve(repoRoot, 'scripts/infra/infra.sh'), command, 'registry'],
    { cwd: repoRoot, env, stdio: ['ignore', 'inherit', 'inherit'] },
  );

/** order.confirmed v1 as someone might edit it in place: a copy with its schema changed. */
function editedV1(
  edit: (properties: Record<string, unknown>, required: string[]) => void,
): MessageDefinition {
  const schema = JSON.parse(JSON.stringify(OrderConfirmedV1.schema)) as {
    properties: Record<string, unknown>;
    required: string[];
  };
  edit(schema.properties, schema.required);
  return { ...OrderConfirmedV1, schema } as MessageDefinition;
}
const retypedTotal = editedV1((properties) => {
  properties['totalCents'] = { type: 'string' };
});
const removedCurrency = editedV1((properties, required) => {
  delete properties['currency'];
  required.splice(required.indexOf('currency'), 1);
});
const addedOptionalNote = editedV1((properties) => {
  properties['note'] = { type: 'string', maxLength: 200 };
});

beforeAll(() => {
  infra('stop');
  rmSync(env.SHOP_RUN_DIR, { recursive: true, force: true });
  infra('start');
}, 120_000);
afterAll(() => infra('stop'));

describe('npm run contracts:register against a real registry', () => {
  let firstRun: Awaited<ReturnType<typeof registerSchemas>>;

  it('registers every message version under <type>.v<version>, each subject BACKWARD', async () => {
    firstRun = await registerSchemas(client, ALL_MESSAGES);
    expect(firstRun.map((r) => [r.subject, r.outcome, r.version])).toEqual(
      ALL_MESSAGES.map((m) => [subjectOf(m), 'registered', 1]),
    );
    expect((await client.subjects()).sort()).toEqual(
      ALL_MESSAGES.map(subjectOf).sort(),
    );
    for (const m of ALL_MESSAGES)
      expect(await client.compatibilityOf(subjectOf(m))).toBe('BACKWARD');
  });

  it('is idempotent: a second run changes nothing', async () => {
    const again = await registerSchemas(client, ALL_MESSAGES);
    expect(again).toEqual(
      firstRun.map((r) => ({ ...r, outcome: 'unchanged' })),
    );
  });

  it('holds exactly the local copy consumers validate with (without its $schema keyword)', async () => {
    for (const m of ALL_MESSAGES) {
      const latest = await client.latest(subjectOf(m));
      const { $schema: _dialect, ...local } = m.schema as Record<
        string,
        unknown
      >;
      expect({
        subject: latest?.subject,
        version: latest?.version,
        schema: JSON.parse(latest?.schema ?? 'null'),
      }).toEqual({ subject: subjectOf(m), version: 1, schema: local });
    }
  });

  it('accepts the v2 example as its own subject, which as the next version of v1 the registry refuses', async () => {
    expect(await client.latest(subjectOf(OrderConfirmedV2))).toMatchObject({
      subject: 'order.confirmed.v2',
      version: 1,
    });
    const refusal = await client
      .register(
        subjectOf(OrderConfirmedV1),
        registeredSchemaText(OrderConfirmedV2.schema),
      )
      .catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(SchemaRegistryError);
    expect(refusal).toMatchObject({
      status: 409,
      registryMessage: expect.stringContaining(
        'Incompatible artifact: order.confirmed.v1 [JSON]',
      ),
    });
  });

  it('refuses a deliberately broken copy with the registry 409 message naming the path', async () => {
    const [retyped, removed] = await Promise.all([
      registerSchemas(client, [retypedTotal]),
      registerSchemas(client, [removedCurrency]),
    ]);
    expect(retyped).toEqual([
      {
        subject: 'order.confirmed.v1',
        outcome: 'refused',
        problem: expect.stringContaining(
          'Subschema type changed at /properties/totalCents',
        ),
      },
    ]);
    expect(removed).toEqual([
      {
        subject: 'order.confirmed.v1',
        outcome: 'refused',
        problem: expect.stringContaining(
          'Object type property schemas narrowed',
        ),
      },
    ]);
    expect(await client.latest('order.confirmed.v1')).toMatchObject({
      version: 1,
    });
  });

  it('is the documented npm step: prints what it did and exits 0', () => {
    const run = spawnSync('npm', ['run', '-s', 'contracts:register'], {
      cwd: repoRoot,
      env: { ...env, SCHEMA_REGISTRY_URL: url },
      encoding: 'utf8',
      timeout: 90_000,
    });
    expect({ status: run.status, stderr: run.stderr }).toEqual({
      status: 0,
      stderr: '',
    });
    expect(run.stdout).toContain('unchanged   order.confirmed.v2 (id ');
    expect(run.stdout).toContain(
      `0 registered, ${ALL_MESSAGES.length} unchanged, 0 refused`,
    );
  });
});

describe('the schema gate, asked of the registry', () => {
  it('finds every current schema compatible with its published one', async () => {
    expect(await registryBreakingChanges(client, ALL_MESSAGES)).toEqual([]);
  });

  it('fails a broken copy with the registry own message, and registers nothing for it', async () => {
    const others = ALL_MESSAGES.filter((m) => m !== OrderConfirmedV1);
    expect(
      await registryBreakingChanges(client, [...others, retypedTotal]),
    ).toEqual([
      {
        subject: 'order.confirmed.v1',
        problem: expect.stringMatching(
          /Incompatible artifact: order\.confirmed\.v1 \[JSON\].*Subschema type changed at \/properties\/totalCents/,
        ),
      },
    ]);
    expect(await client.latest('order.confirmed.v1')).toMatchObject({
      version: 1,
    });
  });

  it('lets a compatible change (a new optional field) through without registering it', async () => {
    expect(await registryBreakingChanges(client, [addedOptionalNote])).toEqual(
      [],
    );
    expect(await client.latest('order.confirmed.v1')).toMatchObject({
      version: 1,
    });
  });

  it('refuses the v2 schema edited into v1 in place, as the local gate does', async () => {
    const v2AsV1 = {
      ...OrderConfirmedV1,
      schema: OrderConfirmedV2.schema,
    } as MessageDefinition;
    const [verdict] = await registryBreakingChanges(client, [v2AsV1]);
    expect(verdict).toEqual({
      subject: 'order.confirmed.v1',
      problem: expect.stringContaining(
        'Incompatible artifact: order.confirmed.v1 [JSON]',
      ),
    });
  });
});
