import { OrderPlacedV1 } from '@shop/contracts';
import {
  registerSchemasOnly,
  registrationRequested,
} from './register-schemas-only';

/** The flag and its settings; registering against a real registry: apps/deploy-checks register-schemas.spec.ts. */
function capture() {
  const lines = { out: [] as string[], err: [] as string[] };
  return {
    lines,
    output: {
      out: (l: string) => lines.out.push(l),
      err: (l: string) => lines.err.push(l),
    },
  };
}

describe('--register-schemas', () => {
  it('is asked for by the flag alone, anywhere on the command line', () => {
    expect(
      registrationRequested(['node', 'main.js', '--register-schemas']),
    ).toBe(true);
    expect(
      registrationRequested([
        'node',
        'main.js',
        '--check-config',
        '--register-schemas',
      ]),
    ).toBe(true);
    expect(registrationRequested(['node', 'main.js'])).toBe(false);
    expect(registrationRequested(['node', 'main.js', '--migrate-only'])).toBe(
      false,
    );
    expect(
      registrationRequested(['node', 'main.js', '--register-schemas=yes']),
    ).toBe(false);
  });

  it('exits 1 without SCHEMA_REGISTRY_URL, naming the setting, before calling anything', async () => {
    const { lines, output } = capture();
    expect(await registerSchemasOnly('order', {}, output)).toBe(1);
    expect(lines.err.join('\n')).toMatch(
      /^order: invalid configuration\n {2}- SCHEMA_REGISTRY_URL: is required \(an http\(s\) URL such as http:\/\/schema-registry:8080\/apis\/ccompat\/v7\) \(not set\)/,
    );
    expect(lines.out).toEqual([]);
  });

  it('exits 1 on a URL that is not http(s)', async () => {
    const { lines, output } = capture();
    expect(
      await registerSchemasOnly(
        'order',
        { SCHEMA_REGISTRY_URL: 'schema-registry:8080/apis/ccompat/v7' },
        output,
      ),
    ).toBe(1);
    expect(lines.err.join('\n')).toContain(
      'SCHEMA_REGISTRY_URL: must be an http(s) URL',
    );
  });

  it('needs nothing but the URL: no database or Kafka settings', async () => {
    const { lines, output } = capture();
    // notification sends nothing: nothing to register, exit 0 without a call
    expect(
      await registerSchemasOnly(
        'notification',
        { SCHEMA_REGISTRY_URL: 'http://127.0.0.1:9/apis/ccompat/v7' },
        output,
      ),
    ).toBe(0);
    expect(lines.out).toEqual([
      'notification: sends no message, no schema to register at http://127.0.0.1:9/apis/ccompat/v7',
    ]);
  });

  it('exits 1 naming the subject and the registry when the registry cannot be reached', async () => {
    const { lines, output } = capture();
    const url = 'http://127.0.0.1:9/apis/ccompat/v7'; // nothing listens on port 9
    expect(
      // Two quick tries instead of the init job's six, 1 to 16 s apart.
      await registerSchemasOnly('order', { SCHEMA_REGISTRY_URL: url }, output, [OrderPlacedV1], { attempts: 2, retryDelayMs: 10 }),
    ).toBe(1);
    expect(lines.err).toHaveLength(1);
    expect(lines.err[0]).toContain('2 tries');
    expect(lines.err[0]).toContain(
      `order: registering its schemas at ${url} failed: `,
    );
    expect(lines.err[0]).toContain('order.placed.v1');
    expect(lines.err[0]).toContain(
      `cannot reach the schema registry at ${url}`,
    );
  });
});
