import { describeServiceBoot, infra } from '@shop/testing';
import { publishCatalog } from './support/catalog';

// Port 3000 + 100 so the suite can run beside a running shop. Order is ready only with a catalog.
describeServiceBoot('order', { port: 3100, beforeBoot: () => publishCatalog(infra.kafkaBrokers) });
