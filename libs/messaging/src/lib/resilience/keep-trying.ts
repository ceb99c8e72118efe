import type { Logger } from '@nestjs/common';

/**
 * Runs `attempt` until it succeeds (true) or `goOn` turns false (false), backing off 1 s more
 * each time, 30 s at most: Kafka may be down when a service boots, and the service starts anyway
 * (readiness reports it meanwhile).
 */
export async function keepTrying(logger: Logger, failure: string, goOn: () => boolean, attempt: () => Promise<unknown>, cleanUp?: () => Promise<unknown>): Promise<boolean> {
  for (let n = 1; goOn(); n++) {
    try {
      await attempt();
      return true;
    } catch (error) {
      logger.warn(`${failure} (attempt ${n}): ${String(error)}`);
      await cleanUp?.().catch(() => undefined);
      await new Promise((r) => setTimeout(r, Math.min(30_000, 1000 * n)));
    }
  }
  return false;
}
