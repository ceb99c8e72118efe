import { rmSync } from 'node:fs';
import { Shop, type ShopOptions } from './shop';

const infraPorts = { PGPORT: 1, KAFKA_PORT: 2, KAFKA_CONTROLLER_PORT: 3, JAEGER_OTLP_GRPC_PORT: 4, JAEGER_OTLP_HTTP_PORT: 5, JAEGER_QUERY_PORT: 6, JAEGER_QUERY_GRPC_PORT: 7, SMTP_PORT: 8, MAILPIT_HTTP_PORT: 9, KEYCLOAK_PORT: 10 };

/** A shop that is never started: its addresses only (its empty run dir removed after). */
function addressesOf(options: Partial<ShopOptions>): Shop {
  const shop = new Shop({ servicePortBase: 24000, infraPorts, ...options });
  rmSync(shop.runDir, { recursive: true, force: true });
  return shop;
}

describe('Shop addresses', () => {
  it('urls: every replica of a service, replica 1 first, each 10 ports above the last', () => {
    const shop = addressesOf({ replicas: 2 });
    expect(shop.urls('order')).toEqual(['http://127.0.0.1:24000', 'http://127.0.0.1:24010']);
    expect(shop.urls('payment')).toEqual(['http://127.0.0.1:24002', 'http://127.0.0.1:24012']);
    expect(shop.urls('payment')[1]).toBe(shop.url('payment', 2));
  });

  it('urls: one address without replicas', () => {
    expect(addressesOf({}).urls('notification')).toEqual(['http://127.0.0.1:24004']);
  });
});
