import { z } from 'zod';
import { ConfigError, loadConfig } from './load-config';
import { serviceConfigSchema } from './service-config';

const schema = serviceConfigSchema({ port: 3000 });
const valid = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/shop_order',
  KAFKA_BROKERS: '127.0.0.1:9092',
  KAFKA_SASL_USERNAME: 'order',
  KAFKA_SASL_PASSWORD: 'order-secret-pw',
  OIDC_ISSUER: 'http://127.0.0.1:8180/realms/shop',
};

describe('loadConfig', () => {
  it('returns typed values with defaults applied', () => {
    const config = loadConfig('order', schema, valid);
    expect(config).toEqual({
      HOST: '127.0.0.1',
      PORT: 3000,
      LOG_LEVEL: 'info',
      DATABASE_URL: valid.DATABASE_URL,
      DATABASE_MIGRATE_ON_BOOT: true,
      KAFKA_BROKERS: ['127.0.0.1:9092'],
      KAFKA_SASL_USERNAME: 'order',
      KAFKA_SASL_PASSWORD: 'order-secret-pw',
      KAFKA_SECURITY_PROTOCOL: 'SASL_PLAINTEXT',
      OUTBOX_RELAY_MODE: 'notify',
      OUTBOX_POLL_INTERVAL_MS: 1000,
      OUTBOX_RELAY_SHARDS: 1,
      INBOX_RETENTION_HOURS: 192,
      OUTBOX_RETENTION_HOURS: 24,
      OIDC_ISSUER: valid.OIDC_ISSUER,
      OIDC_AUDIENCE: 'shop-api',
      HEALTH_DETAILS_FROM: [],
      BREAKER_PROBE_BASE_MS: 500,
      BREAKER_PROBE_MAX_MS: 5000,
      BREAKER_TRIAL_WINDOW_MS: 5000,
      FAULT_DELAY_MS: 0,
      FAULT_FAILURE_RATE: 0,
      FAULT_ADMIN_ENABLED: false,
    });
  });

  it('reads the fault switch settings and refuses a rate above 1', () => {
    expect(loadConfig('order', schema, { ...valid, FAULT_DELAY_MS: '1500', FAULT_FAILURE_RATE: '0.25' })).toMatchObject({ FAULT_DELAY_MS: 1500, FAULT_FAILURE_RATE: 0.25 });
    expect(() => loadConfig('order', schema, { ...valid, FAULT_FAILURE_RATE: '1.5' })).toThrow(/FAULT_FAILURE_RATE/);
  });

  it('reads the readiness details addresses and names a bad entry', () => {
    expect(loadConfig('order', schema, { ...valid, HEALTH_DETAILS_FROM: '10.0.0.0/8, 127.0.0.1' })).toMatchObject({ HEALTH_DETAILS_FROM: ['10.0.0.0/8', '127.0.0.1'] });
    expect(() => loadConfig('order', schema, { ...valid, HEALTH_DETAILS_FROM: '10.0.0.0/8,prometheus' })).toThrow(
      /HEALTH_DETAILS_FROM: "prometheus" is not an IP address or a CIDR block/,
    );
  });

  it("reads Kafka's security protocol (SASL_SSL or SASL_PLAINTEXT) and refuses any other", () => {
    expect(loadConfig('order', schema, { ...valid, KAFKA_SECURITY_PROTOCOL: 'SASL_SSL' })).toMatchObject({ KAFKA_SECURITY_PROTOCOL: 'SASL_SSL' });
    for (const unsafe of ['SSL', 'PLAINTEXT', 'sasl_ssl']) {
      expect(() => loadConfig('order', schema, { ...valid, KAFKA_SECURITY_PROTOCOL: unsafe })).toThrow(/KAFKA_SECURITY_PROTOCOL: must be "SASL_SSL" or "SASL_PLAINTEXT"/);
    }
  });

  it('reads the outbox relay mode and refuses an unknown one', () => {
    expect(loadConfig('order', schema, { ...valid, OUTBOX_RELAY_MODE: 'poll', OUTBOX_POLL_INTERVAL_MS: '500' })).toMatchObject({ OUTBOX_RELAY_MODE: 'poll', OUTBOX_POLL_INTERVAL_MS: 500 });
    expect(() => loadConfig('order', schema, { ...valid, OUTBOX_RELAY_MODE: 'push' })).toThrow(/OUTBOX_RELAY_MODE: must be "notify" or "poll"/);
  });

  it('names every missing setting', () => {
    expect(() => loadConfig('order', schema, {})).toThrow(ConfigError);
    try {
      loadConfig('order', schema, {});
    } catch (error) {
      const problems = (error as ConfigError).problems;
      expect(problems).toHaveLength(5);
      expect(problems[0]).toMatch(/^DATABASE_URL: is required .* \(not set\)$/);
      expect(problems[1]).toMatch(/^KAFKA_BROKERS: is required .* \(not set\)$/);
      expect(problems[2]).toMatch(/^KAFKA_SASL_USERNAME: is required \(the service's Kafka SASL\/SCRAM-SHA-512 user\) \(not set\)$/);
      expect(problems[3]).toMatch(/^KAFKA_SASL_PASSWORD: is required .* \(not set\)$/);
      expect(problems[4]).toMatch(/^OIDC_ISSUER: is required \(an http\(s\) URL .*\) \(not set\)$/);
    }
  });

  it('refuses an empty Kafka password without echoing what it got', () => {
    try {
      loadConfig('order', schema, { ...valid, KAFKA_SASL_PASSWORD: '' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([expect.stringMatching(/^KAFKA_SASL_PASSWORD: must not be empty .*\(value hidden\)$/)]);
    }
  });

  it('names a malformed setting and shows the value it got', () => {
    expect(() => loadConfig('order', schema, { ...valid, PORT: 'eighty' })).toThrow(
      /order: invalid configuration\n {2}- PORT: must be a TCP port number \(got "eighty"\)/,
    );
    expect(() => loadConfig('order', schema, { ...valid, PORT: '70000' })).toThrow(/PORT: must be between 1 and 65535/);
    expect(() => loadConfig('order', schema, { ...valid, KAFKA_BROKERS: 'localhost' })).toThrow(
      /KAFKA_BROKERS: must be a comma-separated list of host:port/,
    );
    expect(() => loadConfig('order', schema, { ...valid, OIDC_ISSUER: 'keycloak:8080/realms/shop' })).toThrow(/OIDC_ISSUER: must be an http\(s\) URL/);
    expect(() => loadConfig('order', schema, { ...valid, OIDC_JWKS_URI: 'ftp://keycloak/certs' })).toThrow(/OIDC_JWKS_URI: must be an http\(s\) URL/);
    expect(() => loadConfig('order', schema, { ...valid, DATABASE_MIGRATE_ON_BOOT: 'yes' })).toThrow(
      /DATABASE_MIGRATE_ON_BOOT: must be "true" or "false"/,
    );
  });

  it('never echoes a password', () => {
    const bad = { ...valid, DATABASE_URL: 'mysql://admin:hunter2@db/x' };
    expect(() => loadConfig('order', schema, bad)).toThrow(/got "mysql:\/\/admin:\*\*\*@db\/x"/);
    const secret = z.object({ API_TOKEN: z.string().min(10) });
    expect(() => loadConfig('x', secret, { API_TOKEN: 'short' })).toThrow(/API_TOKEN: .*\(value hidden\)/);
  });
});
