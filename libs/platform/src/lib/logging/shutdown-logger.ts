import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { shutdownTracing } from '../../tracing';

/** How long shutdown waits for buffered spans to reach the collector; an unreachable one must not hold it up. */
const FLUSH_TIMEOUT_MS = 2000;

/** On shutdown: flush the buffered spans, and leave a last log line so a clean stop can be told from a crash. */
@Injectable()
export class ShutdownLogger implements OnApplicationShutdown {
  private readonly logger = new Logger('Bootstrap');

  async onApplicationShutdown(signal?: string): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const flushed = await Promise.race([
      shutdownTracing().then(
        () => true,
        (error: unknown) => (this.logger.warn(`flushing spans failed: ${String(error)}`), true),
      ),
      new Promise<false>((done) => (timer = setTimeout(() => done(false), FLUSH_TIMEOUT_MS))),
    ]);
    clearTimeout(timer);
    if (!flushed) this.logger.warn(`spans not flushed within ${FLUSH_TIMEOUT_MS} ms (collector unreachable?); dropped`);
    this.logger.log(`stopped (${signal ?? 'app.close()'})`);
  }
}
