import { existsSync, mkdirSync } from 'node:fs';
import { logFile, registryJava, rotateLog, type InfraContext } from '../context';
import { portValues, text, words } from '../settings';
import { requireProvisioned, serverComponent } from '../server';
import { InfraError } from '../toolkit/log';
import { httpOk } from '../toolkit/ports';

/** The schema registry: Apicurio Registry's Quarkus fast-jar from Maven Central, on a Java >= 21. */
// The Confluent-compatible API (8081 is where its clients look by convention) and the Quarkus
// management interface (health).
const PORTS = { api: { env: 'REGISTRY_PORT', default: 8081 }, management: { env: 'REGISTRY_MANAGEMENT_PORT', default: 8082 } } as const;
const p = (ctx: Pick<InfraContext, 'env'>) => portValues(PORTS, ctx.env);
const dir = (ctx: InfraContext) => `${ctx.runDir}/registry`;
/** The H2 database path, on its command line (the JDBC URL). */
const database = (ctx: InfraContext) => `${dir(ctx)}/data/registry`;
/** The Confluent-compatible API, what clients get as SCHEMA_REGISTRY_URL. */
export const api = (ctx: Pick<InfraContext, 'env'>) => `http://127.0.0.1:${p(ctx).api}/apis/ccompat/v7`;
const health = (ctx: InfraContext) => `http://127.0.0.1:${p(ctx).management}/health/ready`;

export const registry = serverComponent(
  {
    name: 'registry',
    ports: Object.values(PORTS),
    url: (ctx) => `Confluent-compatible API ${api(ctx)} (SCHEMA_REGISTRY_URL), health ${health(ctx)}`,
  },
  {
    comms: ['java'],
    marker: database,
    // Every readiness check UP (storage included) and the Confluent-compatible API answers.
    healthy: async (ctx) => (await httpOk(health(ctx))) && (await httpOk(`${api(ctx)}/subjects`)),
    readyWhen: (ctx) => `GET ${health(ctx)} = 200 and GET ${api(ctx)}/subjects = 200`,
    timeout: { env: 'REGISTRY_START_TIMEOUT', default: 180 },
    runningOn: (ctx) => `${p(ctx).api}`,
    prepare: async (ctx) => {
      const home = ctx.layout.registryHome;
      requireProvisioned('registry', existsSync(`${home}/quarkus-run.jar`), `${home} missing`);
      const java = await registryJava(ctx);
      if (!java) throw new InfraError('registry: Apicurio Registry needs Java >= 21 (set REGISTRY_JAVA to its bin/java)');
      mkdirSync(`${dir(ctx)}/data`, { recursive: true });
      rotateLog(logFile(ctx, 'registry'));
      const { api: apiPort, management } = p(ctx);
      ctx.log.log(
        `registry: starting Apicurio Registry ${ctx.layout.registryVersion} (H2 file storage in ${dir(ctx)}/data) on 127.0.0.1:${apiPort}, management 127.0.0.1:${management}; ready in 5 to 15 s on idle cores, up to a minute on busy ones`,
      );
      // Both listeners on 127.0.0.1 (the management interface defaults to 0.0.0.0:9000). Storage: an
      // H2 file in the run dir, so subjects survive a restart, without depending on the postgres
      // component being up first. No other listener opens.
      return {
        cwd: dir(ctx),
        command: java,
        args: [
          ...words(text(ctx.env, 'REGISTRY_HEAP_OPTS', '-Xms64m -Xmx512m')),
          '-Djava.awt.headless=true',
          '-Dquarkus.http.host=127.0.0.1',
          `-Dquarkus.http.port=${apiPort}`,
          '-Dquarkus.management.host=127.0.0.1',
          `-Dquarkus.management.port=${management}`,
          '-Dquarkus.log.console.color=false',
          `-Dapicurio.datasource.url=jdbc:h2:file:${database(ctx)}`,
          '-jar',
          `${home}/quarkus-run.jar`,
        ],
      };
    },
  },
);
