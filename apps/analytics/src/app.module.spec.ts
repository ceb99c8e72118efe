import { Test } from '@nestjs/testing';
import { loadConfig, READINESS_CHECKS, type ReadinessChecks } from '@shop/platform';
import { AppModule } from './app.module';
import { configSchema } from './config';
import { OrderWindowsProcessor } from './windows/application/order-windows.processor';

describe('analytics: the application module', () => {
  it('wires without a database: the processor, and readiness that is down until it runs', async () => {
    const config = loadConfig('analytics', configSchema, {
      KAFKA_BROKERS: '127.0.0.1:1',
      KAFKA_SASL_USERNAME: 'analytics',
      KAFKA_SASL_PASSWORD: 'unused',
      OIDC_ISSUER: 'http://127.0.0.1:1/realms/shop',
      LOG_LEVEL: 'silent',
    });
    // compile() builds every provider (nothing connects before the application starts).
    const module = await Test.createTestingModule({ imports: [AppModule.forRoot(config)] }).compile();
    expect(module.get(OrderWindowsProcessor).status()).toEqual({ running: false, fenced: false });
    const checks = module.get<ReadinessChecks>(READINESS_CHECKS)();
    expect(checks).toHaveLength(1);
    await expect(Promise.resolve(checks[0]())).resolves.toEqual({ windows: { status: 'down', message: 'restoring the windows from their topic, or joining the consumer group' } });
    await module.close();
  });
});
