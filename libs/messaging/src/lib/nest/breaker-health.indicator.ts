import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { DependencyBreakers } from '../resilience/dependency-breakers';

/**
 * The breakers in /health/ready's details: each one's state, since when, and what opened it.
 * Always up: an open breaker means the process is alive and waiting for its dependency (the
 * partitions paused, nothing lost), which a restart would not fix, and the dependency's own
 * check (postgres) already says down when it is down for this process. Going not-ready for it
 * would only take the replica out of the load balancer, and restart it under a liveness probe
 * tied to readiness, for nothing.
 */
@Injectable()
export class BreakerHealthIndicator {
  constructor(
    private readonly indicator: HealthIndicatorService,
    private readonly breakers: DependencyBreakers,
  ) {}

  check<K extends string>(key: K) {
    const breakers = this.breakers.readings();
    return this.indicator.check(key).up({ breakers });
  }
}
