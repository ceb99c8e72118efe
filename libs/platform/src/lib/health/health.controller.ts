import { Controller, Get, Req, ServiceUnavailableException, UseFilters } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { isAdmin, OptionalPrincipal, Public, TokenOptional, type Principal } from '../auth/principal';
import { ApiJsonResponse } from '../http/openapi';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { KafkaHealthIndicator } from '@shop/messaging';
import { HealthCheckFailureFilter } from './health-check-failure.filter';
import { ProbeAddresses } from './probe-addresses';

const DB_PING_TIMEOUT_MS = 1500;

@ApiTags('health')
@Public()
@Controller('health')
@UseFilters(HealthCheckFailureFilter)
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly postgres: TypeOrmHealthIndicator,
    private readonly kafka: KafkaHealthIndicator,
    private readonly probes: ProbeAddresses,
  ) {}

  /** The process is up and its event loop answers. Never checks dependencies: a restart would not fix them. */
  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @ApiJsonResponse(200, 'Alive', z.object({ status: z.literal('ok') }))
  live() {
    return { status: 'ok' };
  }

  /**
   * 200 only when the service can do its job: Postgres and Kafka answer, and its consumer is
   * subscribed and holds the state it copies (order: the catalog); otherwise 503. Anyone gets
   * up or down (`{"status":"ok"}` or `{"status":"error"}`); the details (each dependency, what
   * is missing and why, the consumer group and the message types it handles) go to an admin's
   * token or to a caller from HEALTH_DETAILS_FROM: they map the system for an attacker.
   */
  @Get('ready')
  @TokenOptional()
  @ApiOperation({ summary: 'Readiness: up or down; with an admin token (or from HEALTH_DETAILS_FROM) each dependency in terminus format' })
  @HealthCheck()
  async ready(@Req() request: { socket: { remoteAddress?: string } }, @OptionalPrincipal() principal?: Principal) {
    const details = (principal !== undefined && isAdmin(principal)) || this.probes.includes(request.socket.remoteAddress);
    try {
      const result = await this.health.check([
        () => this.postgres.pingCheck('postgres', { timeout: DB_PING_TIMEOUT_MS }),
        () => this.kafka.check('kafka'),
        () => this.kafka.checkConsumer('messaging'),
      ]);
      return details ? result : { status: result.status };
    } catch (error) {
      if (details || !(error instanceof ServiceUnavailableException)) throw error;
      throw new ServiceUnavailableException({ status: 'error' });
    }
  }
}
