import { loadConfig } from '@shop/platform';
import { configSchema } from './config';

const valid = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/shop_notification',
  KAFKA_BROKERS: '127.0.0.1:9092',
  KAFKA_SASL_USERNAME: 'notification',
  KAFKA_SASL_PASSWORD: 'notification-local',
  OIDC_ISSUER: 'http://127.0.0.1:8180/realms/shop',
};

describe('notification config: retention', () => {
  it('keeps finished emails 192 hours by default, as long as the inbox its events, and published outbox rows 24', () => {
    expect(loadConfig('notification', configSchema, valid)).toMatchObject({ NOTIFICATION_RETENTION_HOURS: 192, INBOX_RETENTION_HOURS: 192, OUTBOX_RETENTION_HOURS: 24 });
  });

  it('takes a longer retention', () => {
    expect(loadConfig('notification', configSchema, { ...valid, NOTIFICATION_RETENTION_HOURS: '720' })).toMatchObject({ NOTIFICATION_RETENTION_HOURS: 720 });
  });

  it.each([
    ['shorter than the inbox', { NOTIFICATION_RETENTION_HOURS: '24' }, /NOTIFICATION_RETENTION_HOURS: must be at least INBOX_RETENTION_HOURS .*\(got "24"\)/],
    ['shorter than a longer inbox', { INBOX_RETENTION_HOURS: '400' }, /NOTIFICATION_RETENTION_HOURS: must be at least INBOX_RETENTION_HOURS .*\(not set\)/],
    ['zero', { NOTIFICATION_RETENTION_HOURS: '0' }, /NOTIFICATION_RETENTION_HOURS: must be greater than 0/],
    ['not a number', { NOTIFICATION_RETENTION_HOURS: '8d' }, /NOTIFICATION_RETENTION_HOURS: must be a positive whole number/],
  ])('refuses a retention %s, naming the setting', (_case, env, message) => {
    expect(() => loadConfig('notification', configSchema, { ...valid, ...env })).toThrow(message);
  });
});

describe('notification config: SMTP security', () => {
  it('speaks plain SMTP by default (the local Mailpit) and takes starttls or tls', () => {
    expect(loadConfig('notification', configSchema, valid)).toMatchObject({ SMTP_SECURITY: 'none' });
    expect(loadConfig('notification', configSchema, { ...valid, SMTP_SECURITY: 'starttls' })).toMatchObject({ SMTP_SECURITY: 'starttls' });
    expect(loadConfig('notification', configSchema, { ...valid, SMTP_SECURITY: 'tls' })).toMatchObject({ SMTP_SECURITY: 'tls' });
  });

  it('refuses anything else, naming the setting', () => {
    expect(() => loadConfig('notification', configSchema, { ...valid, SMTP_SECURITY: 'ssl' })).toThrow(/SMTP_SECURITY: must be "starttls", "tls" or "none"/);
  });
});
