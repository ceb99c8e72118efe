import { Controller, Get, Inject, Req, ServiceUnavailableException, UseFilters } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { isAdmin, OptionalPrincipal, Public, TokenOptional, type Principal } from '../auth/principal';
import { ApiJsonResponse } from '../http/openapi';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator, type HealthIndicatorFunction } from '@nestjs/terminus';
import { BreakerHealthIndicator, KafkaHealthIndicator } from '@shop/messaging';
import { HealthCheckFailureFilter } from './health-check-failure.filter';
import { ProbeAddresses } from './probe-addresses';

const DB_PING_TIMEOUT_MS = 1500;

/** What /health/ready checks: terminus indicator functions, run on each probe. */
export const READINESS_CHECKS = Symbol('READINESS_CHECKS');
export type ReadinessChecks = () => HealthIndicatorFunction[];

/**
 * A service with a database: Postgres answers, Kafka answers, the consumer has joined its group and
 * holds its copied state; and each dependency breaker's state in the details (always up, see
 * BreakerHealthIndicator).
 */
export const databaseServiceReadiness = {
  provide: READINESS_CHECKS,
  inject: [TypeOrmHealthIndicator, KafkaHealthIndicator, BreakerHealthIndicator],
  useFactory:
    (postgres: TypeOrmHealthIndicator, kafka: KafkaHealthIndicator, breakers: BreakerHealthIndicator): ReadinessChecks =>
    () => [
      () => postgres.pingCheck('postgres', { timeout: DB_PING_TIMEOUT_MS }),
      () => kafka.check('kafka'),
      () => kafka.checkConsumer('messaging'),
      () => breakers.check('breakers'),
    ],
};

@ApiTags('health')
@Public()
@Controller('health')
@UseFilters(HealthCheckFailureFilter)
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    @Inject(READINESS_CHECKS) private readonly checks: ReadinessChecks,
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
   * 200 only when the service can do its job (READINESS_CHECKS: for a service with a database,
   * Postgres and Kafka answer, and its consumer is subscribed and holds the state it copies, order:
   * the catalog); otherwise 503. Anyone gets
   * up or down (`{"status":"ok"}` or `{"status":"error"}`); the details (each dependency, what
   * is missing and why, the consumer group and the message types it handles, each dependency
   * breaker's state) go to an admin's token or to a caller from HEALTH_DETAILS_FROM: they map the
   * system for an attacker. An open breaker does not make the service not-ready (see
   * BreakerHealthIndicator): the process is alive and waiting for its dependency.
   */
  @Get('ready')
  @TokenOptional()
  @ApiOperation({ summary: 'Readiness: up or down; with an admin token (or from HEALTH_DETAILS_FROM) each dependency in terminus format' })
  @HealthCheck()
  async ready(@Req() request: { socket: { remoteAddress?: string } }, @OptionalPrincipal() principal?: Principal) {
    const details = (principal !== undefined && isAdmin(principal)) || this.probes.includes(request.socket.remoteAddress);
    try {
      const result = await this.health.check(this.checks());
      return details ? result : { status: result.status };
    } catch (error) {
      if (details || !(error instanceof ServiceUnavailableException)) throw error;
      throw new ServiceUnavailableException({ status: 'error' });
    }
  }
}
