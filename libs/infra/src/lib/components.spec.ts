import { COMPONENTS, COMPONENT_NAMES, DEFAULT_COMPONENTS, inTableOrder } from './components';
import { resolvePorts } from './settings';

const portsByComponent = (env: Record<string, string>) => Object.fromEntries(COMPONENTS.map((c) => [c.name, c.listenPorts(env)]));

describe('the component table', () => {
  it('starts in the order infra.sh always used, whatever the order of the names', () => {
    expect(COMPONENTS.map((c) => c.name)).toEqual(['postgres', 'kafka', 'jaeger', 'mailpit', 'keycloak', 'registry']);
    expect(inTableOrder(['registry', 'mailpit', 'postgres']).map((c) => c.name)).toEqual(['postgres', 'mailpit', 'registry']);
    expect(DEFAULT_COMPONENTS).toEqual(['kafka', 'postgres', 'jaeger', 'mailpit']);
    expect(COMPONENT_NAMES).toEqual(['kafka', 'postgres', 'jaeger', 'mailpit', 'keycloak', 'registry']);
  });

  it("binds today's default ports when the environment sets none", () => {
    expect(portsByComponent({})).toEqual({
      postgres: [5432],
      kafka: [9092, 9093],
      jaeger: [4317, 4318, 16686, 16685],
      mailpit: [1025, 8025],
      keycloak: [8180],
      registry: [8081, 8082],
    });
  });

  it('takes every port from its variable (an empty one means the default, as in bash)', () => {
    const env = {
      PGPORT: '15432',
      KAFKA_PORT: '19092',
      KAFKA_CONTROLLER_PORT: '19093',
      JAEGER_OTLP_GRPC_PORT: '14317',
      JAEGER_OTLP_HTTP_PORT: '14318',
      JAEGER_QUERY_PORT: '26686',
      JAEGER_QUERY_GRPC_PORT: '',
      JAEGER_METRICS_PORT: '18888',
      SMTP_PORT: '11025',
      MAILPIT_HTTP_PORT: '18025',
      KEYCLOAK_PORT: '18180',
      REGISTRY_PORT: '18081',
      REGISTRY_MANAGEMENT_PORT: '18082',
    };
    for (const c of COMPONENTS) expect(c.listenPorts(env)).toEqual(resolvePorts(c.ports, env));
    expect(portsByComponent(env)).toEqual({
      postgres: [15432],
      kafka: [19092, 19093],
      jaeger: [14317, 14318, 26686, 16685, 18888],
      mailpit: [11025, 18025],
      keycloak: [18180],
      registry: [18081, 18082],
    });
  });

  it('names the variable of a port that is not one', () => {
    expect(() => resolvePorts([{ env: 'PGPORT', default: 5432 }], { PGPORT: '54x2' })).toThrow('PGPORT=54x2 is not a whole number');
    expect(() => resolvePorts([{ env: 'SMTP_PORT', default: 1025 }], { SMTP_PORT: '70000' })).toThrow('SMTP_PORT=70000 is not a TCP port (1-65535)');
  });

  it('documents every port variable it reads', () => {
    const documented = COMPONENTS.flatMap((c) => c.ports.map((p) => p.env));
    expect(documented).toEqual([
      'PGPORT',
      'KAFKA_PORT',
      'KAFKA_CONTROLLER_PORT',
      'JAEGER_OTLP_GRPC_PORT',
      'JAEGER_OTLP_HTTP_PORT',
      'JAEGER_QUERY_PORT',
      'JAEGER_QUERY_GRPC_PORT',
      'JAEGER_METRICS_PORT',
      'SMTP_PORT',
      'MAILPIT_HTTP_PORT',
      'KEYCLOAK_PORT',
      'REGISTRY_PORT',
      'REGISTRY_MANAGEMENT_PORT',
    ]);
  });
});
