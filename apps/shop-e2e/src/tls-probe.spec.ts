import { customerOf, LoopbackCapture, repoRoot, Shop, waitFor, type TcpStream } from '@shop/testing';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { emailsFor, orderBody, OrdersApi } from './support/api';

/**
 * What a packet capture on the loopback interface sees of a customer while their order runs:
 * tcpdump records every TCP packet to or from the shop's Kafka, Postgres and SMTP ports while an
 * order is placed, goes through the saga to CONFIRMED and its email is sent; then every connection
 * is read back as byte streams. With TLS (the default everywhere locally) there is traffic on each
 * port, all of it TLS records, and neither the customer's email address nor their street is in it.
 * The same probe against a shop started with SHOP_TLS=off finds both on each port: it can fail.
 * Ports 20600-20620, and 20700-20720 for the plain-text shop (below the ephemeral range 32768-60999).
 */
const PORTS = {
  servicePortBase: 20600,
  infraPorts: {
    PGPORT: 20610,
    KAFKA_PORT: 20612,
    KAFKA_CONTROLLER_PORT: 20613,
    JAEGER_OTLP_GRPC_PORT: 20614,
    JAEGER_OTLP_HTTP_PORT: 20615,
    JAEGER_QUERY_PORT: 20616,
    JAEGER_QUERY_GRPC_PORT: 20617,
    SMTP_PORT: 20618,
    MAILPIT_HTTP_PORT: 20619,
    KEYCLOAK_PORT: 20620,
  },
};
/** The plain-text shop's: the same + 100 (a server of the first shop may hold its port a little after its stop). */
const PLAIN_PORTS = {
  servicePortBase: PORTS.servicePortBase + 100,
  infraPorts: Object.fromEntries(Object.entries(PORTS.infraPorts).map(([name, port]) => [name, port + 100])) as typeof PORTS.infraPorts,
};
/** A shop's Kafka (broker and controller), Postgres and SMTP ports: what is captured. */
const watched = ({ infraPorts: p }: typeof PORTS) => ({ kafka: [p.KAFKA_PORT, p.KAFKA_CONTROLLER_PORT], postgres: [p.PGPORT], smtp: [p.SMTP_PORT] });
const CUSTOMER = 'alice';
/** Keycloak's first start in a fresh run dir takes minutes on a busy 2-core machine (its default wait is 240 s). */
const INFRA_ENV = { KEYCLOAK_START_TIMEOUT: '600' };
/** A TLS application-data record's header (TLS 1.2 and 1.3 both write version 3.3 there). */
const TLS_RECORD = Buffer.from([0x17, 0x03, 0x03]);

interface Probe {
  email: string;
  street: string;
  /** Per watched server: the bytes seen and the streams of its connections. */
  servers: Record<keyof ReturnType<typeof watched>, { bytes: number; streams: TcpStream[] }>;
  dropped: number;
}

/** Places one order for CUSTOMER with a street never used before, while capturing; resolves once it is CONFIRMED and its email is in Mailpit. */
async function probe(shop: Shop, ports: typeof PORTS): Promise<Probe> {
  const servers = watched(ports);
  const api = new OrdersApi(shop, CUSTOMER);
  const street = `${randomUUID()} Probe Lane`;
  const { email } = customerOf(CUSTOMER);
  const capture = await LoopbackCapture.start(join(shop.runDir, 'loopback.pcap'), Object.values(servers).flat());
  let dropped: number;
  try {
    const orderId = await api.placeOk(orderBody({ shippingAddress: { name: 'Alice Example', street, city: 'Springfield', postalCode: '12345', country: 'DE' } }));
    await api.waitForStatus(orderId, ['CONFIRMED', 'SHIPPED', 'DELIVERED'], 120_000);
    await waitFor(`the confirmation email of ${orderId} in Mailpit`, async () => (await emailsFor(shop, orderId)).includes('is confirmed'), 60_000);
    // Everything sent so far is in the file before tcpdump stops (a marker sent last was written).
    await capture.settle(ports.infraPorts.SMTP_PORT);
  } finally {
    ({ dropped } = await capture.stop());
  }
  const streams = capture.streams();
  const seen = Object.fromEntries(
    Object.entries(servers).map(([name, own]) => {
      const of = streams.filter((s) => own.includes(s.serverPort));
      return [name, { bytes: of.reduce((n, s) => n + s.bytes.length, 0), streams: of }];
    }),
  ) as Probe['servers'];
  return { email, street, servers: seen, dropped };
}

const carries = (streams: TcpStream[], text: string) => streams.some((s) => s.bytes.includes(Buffer.from(text)) || s.bytes.toString('latin1').toLowerCase().includes(text.toLowerCase()));

beforeAll(() => {
  // npm test provisions it too; here for a run of this file alone.
  execFileSync('bash', ['scripts/infra/provision.sh', 'tcpdump'], { cwd: repoRoot, stdio: 'inherit' });
});

describe('with TLS (the default): the customer is nowhere in clear on Kafka, Postgres or SMTP', () => {
  const shop = new Shop({ ...PORTS, infraEnv: INFRA_ENV });
  let seen: Probe;

  beforeAll(async () => {
    await shop.start();
    seen = await probe(shop, PORTS);
  }, 900_000);

  afterAll(() => shop.stop(), 120_000);

  it('captured the order for real: traffic on each port, all TLS records, nothing dropped', () => {
    expect(seen.dropped).toBe(0);
    for (const [name, { bytes, streams }] of Object.entries(seen.servers)) {
      // An order is kilobytes on each: the saga's messages, its transactions, one email.
      expect({ name, enough: bytes > 1000 }).toEqual({ name, enough: true });
      expect({ name, tls: streams.some((s) => s.bytes.includes(TLS_RECORD)) }).toEqual({ name, tls: true });
    }
  });

  it("finds neither the customer's email address nor their street in any of it", () => {
    for (const [name, { streams }] of Object.entries(seen.servers)) {
      expect({ name, email: carries(streams, seen.email), street: carries(streams, seen.street) }).toEqual({ name, email: false, street: false });
    }
  });
});

describe('with SHOP_TLS=off (for debugging only): the same probe finds the customer in clear', () => {
  const shop = new Shop({ ...PLAIN_PORTS, infraEnv: { ...INFRA_ENV, SHOP_TLS: 'off' } });
  let seen: Probe;

  beforeAll(async () => {
    await shop.start();
    seen = await probe(shop, PLAIN_PORTS);
  }, 900_000);

  afterAll(() => shop.stop(), 120_000);

  it("finds the email address on Kafka, Postgres and SMTP, and the street on Kafka and Postgres", () => {
    expect(seen.dropped).toBe(0);
    const found = Object.fromEntries(Object.entries(seen.servers).map(([name, { streams }]) => [name, { email: carries(streams, seen.email), street: carries(streams, seen.street) }]));
    expect(found).toEqual({ kafka: { email: true, street: true }, postgres: { email: true, street: true }, smtp: { email: true, street: expect.any(Boolean) } });
  });
});
