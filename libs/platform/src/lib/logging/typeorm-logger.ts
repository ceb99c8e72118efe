import { Logger } from '@nestjs/common';
import type { Logger as TypeOrmLoggerInterface } from 'typeorm';

/** Sends TypeORM's warnings, errors and migration notes through the service's JSON logger. */
export class TypeOrmLogger implements TypeOrmLoggerInterface {
  private readonly logger = new Logger('TypeORM');

  logQuery(): void {
    // Queries are not logged: too much volume, and they can carry personal data.
  }
  logQueryError(error: string | Error, query: string): void {
    this.logger.error({ err: error instanceof Error ? error.message : error, query }, 'query failed');
  }
  logQuerySlow(time: number, query: string): void {
    this.logger.warn({ durationMs: time, query }, 'slow query');
  }
  logSchemaBuild(message: string): void {
    this.logger.log(message);
  }
  logMigration(message: string): void {
    this.logger.log(message);
  }
  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(String(message));
    else this.logger.log(String(message));
  }
}
