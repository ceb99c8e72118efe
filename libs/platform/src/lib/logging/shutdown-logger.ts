import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { shutdownTracing } from '../../tracing';

/** On shutdown: flush the buffered spans, and leave a last log line so a clean stop can be told from a crash. */
@Injectable()
export class ShutdownLogger implements OnApplicationShutdown {
  private readonly logger = new Logger('Bootstrap');

  async onApplicationShutdown(signal?: string): Promise<void> {
    await shutdownTracing().catch((error: unknown) => this.logger.warn(`flushing spans failed: ${String(error)}`));
    this.logger.log(`stopped (${signal ?? 'app.close()'})`);
  }
}
