import { Injectable } from '@nestjs/common';
import { z } from 'zod';

export const faultSettingsSchema = z.strictObject({
  /** Wait this long before handling each saga command (makes the participant slow). */
  delayMs: z.number().int().min(0).max(120_000),
  /** Share of saga commands that fail with a transient error (retried, then dead-lettered). */
  failureRate: z.number().min(0).max(1),
});

export type FaultSettings = z.infer<typeof faultSettingsSchema>;

/** Thrown by the fault switch: an ordinary (retryable) failure, as a flaky dependency would raise. */
export class SimulatedFault extends Error {
  constructor() {
    super('simulated failure (fault switch: failureRate)');
    this.name = 'SimulatedFault';
  }
}

/**
 * The documented way to make a saga participant slow or flaky on purpose, to watch deadlines,
 * retries and the dead-letter topic at work. Set at boot by FAULT_DELAY_MS / FAULT_FAILURE_RATE,
 * or at run time through PUT /admin/faults when FAULT_ADMIN_ENABLED=true. Participants call
 * `apply()` at the start of each saga command handler.
 */
@Injectable()
export class FaultSwitch {
  private settings: FaultSettings;

  constructor(initial: FaultSettings, private readonly random: () => number = Math.random) {
    this.settings = faultSettingsSchema.parse(initial);
  }

  get current(): FaultSettings {
    return { ...this.settings };
  }

  set(settings: Partial<FaultSettings>): FaultSettings {
    this.settings = faultSettingsSchema.parse({ ...this.settings, ...settings });
    return this.current;
  }

  /**
   * Delays and/or fails as set. `keepAlive` runs every second of a delay: a Kafka handler passes
   * its heartbeat, so a long delay looks like a slow participant, not a dead consumer.
   */
  async apply(keepAlive?: () => Promise<void>): Promise<void> {
    const { delayMs, failureRate } = this.settings;
    for (let left = delayMs; left > 0; left -= 1000) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(left, 1000)));
      await keepAlive?.();
    }
    if (failureRate > 0 && this.random() < failureRate) throw new SimulatedFault();
  }
}
