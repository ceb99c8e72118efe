import { Controller, Get, Inject, UseGuards } from '@nestjs/common';
import type { HealthCheckRow, HealthOverview } from '@shop/console-api';
import { AccessToken, AdminGuard } from '../auth/admin.guard';
import { OidcClient } from '../auth/oidc-client';
import { CONSOLE_CONFIG } from '../console-config.token';
import type { ConsoleConfig } from '../config';
import { dependencyRow, serviceRow, type ReadinessAnswer } from './health-overview';
import { failureReason, SERVICE_TIMEOUT_MS, ShopServices } from './shop-services';

/**
 * GET /api/health: each service's /health/live and /health/ready, Postgres and Kafka as the
 * services' readiness reports them, and Jaeger's query API, Mailpit's API and Keycloak's realm,
 * asked directly. (The console's own /health/* are its probes, without a session.)
 */
@Controller('api/health')
@UseGuards(AdminGuard)
export class HealthOverviewController {
  constructor(
    private readonly services: ShopServices,
    private readonly oidc: OidcClient,
    @Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig,
  ) {}

  @Get()
  async overview(@AccessToken() token: string): Promise<HealthOverview> {
    const [probes, jaeger, mailpit, keycloak] = await Promise.all([
      Promise.all(this.services.names.map((service) => this.probe(service, token))),
      this.answers('Jaeger query', `${this.config.JAEGER_QUERY_URL}/api/services`),
      this.answers('Mailpit', `${this.config.MAILPIT_URL}/api/v1/info`),
      this.oidc.reachable().then(
        (up): HealthCheckRow => ({
          name: 'Keycloak',
          kind: 'infrastructure',
          up,
          detail: up ? `${this.config.OIDC_BACKCHANNEL_URL} answers` : `${this.config.OIDC_BACKCHANNEL_URL} does not answer`,
        }),
        (error: unknown): HealthCheckRow => ({
          name: 'Keycloak',
          kind: 'infrastructure',
          up: false,
          detail: failureReason(error),
        }),
      ),
    ]);
    const readiness = probes.map((p) => ({
      service: p.row.name,
      body: p.readiness,
    }));
    return {
      now: new Date().toISOString(),
      checks: [...probes.map((p) => p.row), dependencyRow('Postgres', 'postgres', readiness), dependencyRow('Kafka', 'kafka', readiness), jaeger, mailpit, keycloak],
    };
  }

  /** /health/ready with the admin's token: its details, each dependency's state, come only to an admin. */
  private async probe(service: (typeof this.services.names)[number], token: string): Promise<{ row: HealthCheckRow; readiness: ReadinessAnswer | null }> {
    const [live, ready] = await Promise.all([
      this.services.get(service, '/health/live').then((r) => r.status, failureReason),
      this.services.get(service, '/health/ready', token).then((r) => ({ status: r.status, body: parseJson(r.text) }), failureReason),
    ]);
    return {
      row: serviceRow(service, live, ready),
      readiness: typeof ready === 'string' ? null : ready.body,
    };
  }

  private async answers(name: string, url: string): Promise<HealthCheckRow> {
    try {
      const res = await fetch(url, {
        signal: AbortSignal.timeout(SERVICE_TIMEOUT_MS),
      });
      return {
        name,
        kind: 'infrastructure',
        up: res.ok,
        detail: `${url} answered ${res.status}`,
      };
    } catch (error) {
      return {
        name,
        kind: 'infrastructure',
        up: false,
        detail: `${url}: ${failureReason(error)}`,
      };
    }
  }
}

function parseJson(text: string): ReadinessAnswer | null {
  try {
    return JSON.parse(text) as ReadinessAnswer;
  } catch {
    return null;
  }
}
