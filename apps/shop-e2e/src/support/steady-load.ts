import { orderBody, type OrdersApi } from './api';

/** An attempt to place an order that did not end accepted (202). */
export interface Refusal {
  /** When the answer or the error came (ms since the epoch). */
  at: number;
  /** Which of the load's APIs it went to (0: the first order replica). */
  via: number;
  /** The HTTP status, or what the network said (ECONNREFUSED while that replica is down). */
  answer: number | string;
}

/**
 * An open-loop load for a fault under way: `rate` orders a second until stopped, whatever the shop
 * answers, each placed through the next of `apis` in turn (one per order replica, as clients
 * spread over them) by the next of `customers` (each account's balance pays for a few hundred
 * orders only). The accepted orders are kept for the checks, every other answer with its time.
 */
export class SteadyLoad {
  readonly accepted: string[] = [];
  readonly refusals: Refusal[] = [];
  offered = 0;
  private timer?: NodeJS.Timeout;
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly apis: readonly OrdersApi[],
    private readonly customers: readonly string[],
    private readonly rate: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.offer(), 1000 / this.rate);
  }

  /** Stops offering and waits for every answer still due. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all([...this.pending]);
  }

  private offer(): void {
    const n = this.offered++;
    const via = n % this.apis.length;
    const attempt = this.place(via, this.customers[n % this.customers.length]).finally(() => this.pending.delete(attempt));
    this.pending.add(attempt);
  }

  private async place(via: number, customer: string): Promise<void> {
    try {
      const answer = await this.apis[via].as(customer).place(orderBody());
      if (answer.status === 202) this.accepted.push(answer.body.orderId);
      else this.refusals.push({ at: Date.now(), via, answer: answer.status });
    } catch (error) {
      this.refusals.push({ at: Date.now(), via, answer: networkError(error) });
    }
  }
}

/**
 * fetch's "fetch failed" says little: its cause says what happened (ECONNREFUSED, ECONNRESET). Read
 * by shape: under jest, Node's own errors are not instances of the test's Error.
 */
function networkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  return cause?.code ?? cause?.message ?? String(error);
}
