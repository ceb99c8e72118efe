import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { endpoints, portOf } from './endpoints';
import { cacheDirOf } from './tls';

describe('endpoints: where clients reach the local infrastructure', () => {
  it("gives today's defaults when the environment sets nothing but HOME: TLS everywhere, verified against the local CA in the cache", () => {
    const e = endpoints({ HOME: '/home/dev' });
    const tls = '?sslmode=verify-full&sslrootcert=/home/dev/.cache/shop-platform/tls/ca.pem';
    expect(e.tls).toEqual({ caFile: '/home/dev/.cache/shop-platform/tls/ca.pem' });
    expect(e.processEnv).toEqual({ KAFKA_SECURITY_PROTOCOL: 'SASL_SSL', SMTP_SECURITY: 'starttls', NODE_EXTRA_CA_CERTS: '/home/dev/.cache/shop-platform/tls/ca.pem' });
    expect(e.postgres.port).toBe(5432);
    expect(e.postgres.url('shop_order')).toBe(`postgres://postgres@127.0.0.1:5432/shop_order${tls}`);
    expect(e.postgres.serviceUrl('order')).toBe(`postgres://shop_order:order-local@127.0.0.1:5432/shop_order${tls}`);
    expect(e.kafka).toMatchObject({ nodes: [{ name: 'kafka', port: 9092, controllerPort: 9093 }], brokers: '127.0.0.1:9092', securityProtocol: 'SASL_SSL' });
    expect(e.kafka.credentials('admin')).toEqual({ username: 'admin', password: 'admin-local' });
    expect(e.jaeger).toEqual({ queryUrl: 'http://127.0.0.1:16686', otlpHttpUrl: 'http://127.0.0.1:4318' });
    expect(e.mailpit).toEqual({ smtpPort: 1025, smtpSecurity: 'starttls', url: 'http://127.0.0.1:8025' });
    expect(e.keycloak).toEqual({ port: 8180, url: 'http://127.0.0.1:8180', issuer: 'http://127.0.0.1:8180/realms/shop' });
    expect(e.registry).toEqual({ apiUrl: 'http://127.0.0.1:8081/apis/ccompat/v7' });
  });

  it('follows the port variables, KAFKA_NODES and the password variables the components start with', () => {
    const e = endpoints({
      PGPORT: '15432',
      KAFKA_PORT: '19092',
      KAFKA_CONTROLLER_PORT: '19093',
      KAFKA_NODES: '3',
      KAFKA_PAYMENT_PASSWORD: 'p@ss/word',
      POSTGRES_PAYMENT_PASSWORD: 'p@ss/word',
      JAEGER_QUERY_PORT: '26686',
      MAILPIT_HTTP_PORT: '18025',
      KEYCLOAK_PORT: '18180',
      REGISTRY_PORT: '18081',
    });
    expect(e.postgres.serviceUrl('payment')).toMatch(/^postgres:\/\/shop_payment:p%40ss%2Fword@127\.0\.0\.1:15432\/shop_payment\?sslmode=verify-full&/);
    expect(e.kafka.nodes).toEqual([
      { name: 'kafka-1', port: 19092, controllerPort: 19093 },
      { name: 'kafka-2', port: 19094, controllerPort: 19095 },
      { name: 'kafka-3', port: 19096, controllerPort: 19097 },
    ]);
    expect(e.kafka.brokers).toBe('127.0.0.1:19092,127.0.0.1:19094,127.0.0.1:19096');
    expect(e.kafka.credentials('payment')).toEqual({ username: 'payment', password: 'p@ss/word' });
    expect(e.jaeger.queryUrl).toBe('http://127.0.0.1:26686');
    expect(e.mailpit.url).toBe('http://127.0.0.1:18025');
    expect(e.keycloak.issuer).toBe('http://127.0.0.1:18180/realms/shop');
    expect(e.registry.apiUrl).toBe('http://127.0.0.1:18081/apis/ccompat/v7');
  });

  it('finds the CA where the cache is (SHOP_CACHE_DIR, XDG_CACHE_HOME), encoding in its URL only what a URL cannot hold', () => {
    expect(endpoints({ HOME: '/h', XDG_CACHE_HOME: '/xdg' }).tls?.caFile).toBe('/xdg/shop-platform/tls/ca.pem');
    const e = endpoints({ HOME: '/h', SHOP_CACHE_DIR: '/my cache&more' });
    expect(e.tls?.caFile).toBe('/my cache&more/tls/ca.pem');
    expect(e.postgres.url('x')).toBe('postgres://postgres@127.0.0.1:5432/x?sslmode=verify-full&sslrootcert=/my%20cache%26more/tls/ca.pem');
    expect(new URL(e.postgres.url('x')).searchParams.get('sslrootcert')).toBe('/my cache&more/tls/ca.pem');
  });

  it('puts the cache where scripts/infra/lib.sh does', () => {
    const libSh = resolve(__dirname, '../../../../scripts/infra/lib.sh');
    for (const env of [{ HOME: '/home/dev' }, { HOME: '/home/dev', XDG_CACHE_HOME: '/xdg' }, { HOME: '/home/dev', SHOP_CACHE_DIR: '/elsewhere' }]) {
      const bash = execFileSync('bash', ['-c', 'source "$1" && printf %s "$SHOP_CACHE_DIR"', '_', libSh], { env: { PATH: process.env['PATH'], ...env }, encoding: 'utf8' });
      expect(cacheDirOf(env)).toBe(bash);
    }
  });

  it('describes plain text with SHOP_TLS=off (debugging only), and refuses another value', () => {
    const e = endpoints({ HOME: '/h', SHOP_TLS: 'off' });
    expect(e.tls).toBeUndefined();
    expect(e.processEnv).toEqual({ KAFKA_SECURITY_PROTOCOL: 'SASL_PLAINTEXT', SMTP_SECURITY: 'none' });
    expect(e.postgres.url('shop_order')).toBe('postgres://postgres@127.0.0.1:5432/shop_order');
    expect(e.postgres.serviceUrl('order')).toBe('postgres://shop_order:order-local@127.0.0.1:5432/shop_order');
    expect(e.kafka.securityProtocol).toBe('SASL_PLAINTEXT');
    expect(e.mailpit.smtpSecurity).toBe('none');
    expect(() => endpoints({ SHOP_TLS: 'yes' })).toThrow('SHOP_TLS=yes: must be "on" (the default) or "off" (plain text, for debugging)');
  });

  it('names what is wrong with a port it cannot give', () => {
    expect(() => portOf({}, 'ORDER_PORT')).toThrow('ORDER_PORT is not a port variable of the local infrastructure');
    expect(() => portOf({}, 'JAEGER_METRICS_PORT')).toThrow('JAEGER_METRICS_PORT has no default: set it');
    expect(() => portOf({ PGPORT: 'x' }, 'PGPORT')).toThrow('PGPORT=x is not a whole number');
  });
});
