import { Controller, Get, UseFilters } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Public } from '../auth/principal';
import { ApiJsonResponse } from '../http/openapi';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { KafkaHealthIndicator } from '@shop/messaging';
import { HealthCheckFailureFilter } from './health-check-failure.filter';

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
   * subscribed and holds the state it copies (order: the catalog); otherwise 503 naming what is
   * missing.
   */
  @Get('ready')
  @ApiOperation({ summary: 'Readiness: Postgres, Kafka and the consumer (terminus format, 503 naming what is missing)' })
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.postgres.pingCheck('postgres', { timeout: DB_PING_TIMEOUT_MS }),
      () => this.kafka.check('kafka'),
      () => this.kafka.checkConsumer('messaging'),
    ]);
  }
}
