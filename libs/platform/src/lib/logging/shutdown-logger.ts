import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';

/** Leaves a last log line, so a clean stop can be told apart from a crash in the logs. */
@Injectable()
export class ShutdownLogger implements OnApplicationShutdown {
  private readonly logger = new Logger('Bootstrap');

  onApplicationShutdown(signal?: string): void {
    this.logger.log(`stopped (${signal ?? 'app.close()'})`);
  }
}
