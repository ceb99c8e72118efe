import { customerOf, type Tokens } from '@shop/testing';
import { loadCustomer, orderBody, pathOf, signInLoadCustomers, type Mix, type OrderPath } from '../load';

/** Every failure path of the saga, and a share of cancellations (see CANCEL_EVERY). */
export const CHAOS_MIX: Mix = [
  { path: 'happy', share: 0.7 },
  { path: 'out-of-stock', share: 0.1 },
  { path: 'declined', share: 0.1 },
  { path: 'unshippable', share: 0.1 },
];
/** Every n-th happy order is cancelled by its customer right after it was accepted. */
const CANCEL_EVERY = 10;

export interface Placed {
  orderId: string;
  path: OrderPath;
  email: string;
}

/**
 * A steady open-loop load for the chaos run: `rate` orders a second down every path until
 * stopped, whatever the shop answers (refused connections and 5xx while a fault lasts are
 * counted, not retried). Accepted orders are remembered for the checks.
 */
export class ChaosLoad {
  readonly placed: Placed[] = [];
  offered = 0;
  refused = 0;
  private running?: Promise<void>;
  private stopping = false;
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly api: string,
    /** Each order is placed by its customer (loadCustomer), signed in with their token. */
    private readonly tokens: Tokens,
    private readonly run: string,
    private readonly rate: number,
    /**
     * The realm user who places the n-th order (signed in with their token, which names the address
     * its emails go to): a load customer, unless a scenario (the refused address) says otherwise.
     */
    public customerFor: (n: number) => string = loadCustomer,
  ) {}

  /** Signs the load's customers in, then offers orders until stopped. */
  async start(): Promise<void> {
    await signInLoadCustomers(this.tokens);
    this.stopping = false;
    const started = performance.now();
    const first = this.offered;
    this.running = (async () => {
      for (let i = 0; !this.stopping; i++) {
        const wait = started + (i * 1000) / this.rate - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        if (this.stopping) break;
        const p = this.offer(first + i).finally(() => this.pending.delete(p));
        this.pending.add(p);
      }
    })();
  }

  /** Stops offering and waits for every answer still due. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.running;
    await Promise.all([...this.pending]);
  }

  private async offer(n: number): Promise<void> {
    this.offered += 1;
    const path = pathOf(CHAOS_MIX, n);
    const customer = this.customerFor(n);
    const { email } = customerOf(customer);
    const body = orderBody(path);
    try {
      const signedIn = await this.tokens.header(customer);
      const res = await fetch(`${this.api}/orders`, {
        method: 'POST',
        headers: { ...signedIn, 'content-type': 'application/json', 'idempotency-key': `chaos-${this.run}-${n}` },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
      const answer = (await res.json().catch(() => ({}))) as { orderId?: string };
      if (res.status !== 202 || !answer.orderId) {
        this.refused += 1;
        return;
      }
      this.placed.push({ orderId: answer.orderId, path, email });
      if (path === 'happy' && n % CANCEL_EVERY === 0) {
        // A customer changing their mind: allowed until dispatch, refused (409) after; either is fine.
        await fetch(`${this.api}/orders/${answer.orderId}/cancel`, { method: 'POST', headers: signedIn, signal: AbortSignal.timeout(30_000) }).catch(() => undefined);
      }
    } catch {
      this.refused += 1; // connection refused or timed out: the order service is down
    }
  }
}
