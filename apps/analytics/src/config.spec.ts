import { loadConfig } from '@shop/platform';
import { configSchema } from './config';

const valid = {
  KAFKA_BROKERS: '127.0.0.1:9092',
  KAFKA_SASL_USERNAME: 'analytics',
  KAFKA_SASL_PASSWORD: 'analytics-local',
  OIDC_ISSUER: 'http://127.0.0.1:8180/realms/shop',
};

describe('analytics config', () => {
  it('needs no database, listens on 3005 and keeps a 30 s grace by default', () => {
    const config = loadConfig('analytics', configSchema, valid);
    expect(config).toMatchObject({ PORT: 3005, ANALYTICS_GRACE_MS: 30_000, KAFKA_BROKERS: ['127.0.0.1:9092'] });
    expect(config).not.toHaveProperty('DATABASE_URL');
  });

  it('takes another grace, and refuses one that is not a whole number, naming the setting', () => {
    expect(loadConfig('analytics', configSchema, { ...valid, ANALYTICS_GRACE_MS: '5000' })).toMatchObject({ ANALYTICS_GRACE_MS: 5000 });
    expect(() => loadConfig('analytics', configSchema, { ...valid, ANALYTICS_GRACE_MS: '30s' })).toThrow(/ANALYTICS_GRACE_MS: must be a whole number/);
  });

  it('refuses to start without its Kafka principal', () => {
    expect(() => loadConfig('analytics', configSchema, { ...valid, KAFKA_SASL_USERNAME: undefined })).toThrow(/KAFKA_SASL_USERNAME: is required/);
  });
});
