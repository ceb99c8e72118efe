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

/** An order not accepted: the status the shop answered, or the error (refused connection, timeout), and when it was sent (epoch ms). */
export interface Refusal {
  answer: number | string;
  at: number;
}

/**
 * A steady open-loop load for the chaos run: `rate` orders a second down every path until
 * stopped, whatever the shop answers (5xx and timeouts while a fault lasts are counted, not
 * retried). With several order replicas (`apis`), orders go to each in turn, and a refused
 * connection is tried once more on the next replica with the same idempotency key, as a load
 * balancer does with a backend that is down. Accepted orders are remembered for the checks.
 */
export class ChaosLoad {
  readonly placed: Placed[] = [];
  offered = 0;
  readonly refusals: Refusal[] = [];
  /**
   * The replicas (indexes into `apis`) that take orders now: all of them unless a scenario takes
   * one out of rotation (a frozen process accepts connections and never answers: a load balancer's
   * health check would stop sending it traffic).
   */
  via: number[];
  private running?: Promise<void>;
  private stopping = false;
  private readonly pending = new Set<Promise<void>>();

  constructor(
    /** The order API of each order replica (one in the single-node shop). */
    private readonly apis: readonly string[],
    /** Each order is placed by its customer (loadCustomer), signed in with their token. */
    private readonly tokens: Tokens,
    private readonly run: string,
    private readonly rate: number,
    /**
     * The realm user who places the n-th order (signed in with their token, which names the address
     * its emails go to): a load customer, unless a scenario (the refused address) says otherwise.
     */
    public customerFor: (n: number) => string = loadCustomer,
  ) {
    if (apis.length === 0) throw new Error('ChaosLoad: no order API to send orders to');
    this.via = apis.map((_, i) => i);
  }

  /** Orders not accepted. */
  get refused(): number {
    return this.refusals.length;
  }

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
    const sentAt = Date.now();
    const path = pathOf(CHAOS_MIX, n);
    const customer = this.customerFor(n);
    const { email } = customerOf(customer);
    const body = orderBody(path);
    const via = this.via;
    const first = via[n % via.length];
    let api = this.apis[first];
    try {
      const signedIn = await this.tokens.header(customer);
      const place = (url: string) =>
        fetch(`${url}/orders`, {
          method: 'POST',
          headers: { ...signedIn, 'content-type': 'application/json', 'idempotency-key': `chaos-${this.run}-${n}` },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(30_000),
        });
      let res: Response;
      try {
        res = await place(api);
      } catch (error) {
        if (via.length < 2 || !refusedConnection(error)) throw error;
        api = this.apis[via[(n + 1) % via.length]];
        res = await place(api);
      }
      const answer = (await res.json().catch(() => ({}))) as { orderId?: string };
      if (res.status !== 202 || !answer.orderId) {
        this.refusals.push({ answer: res.status, at: sentAt });
        return;
      }
      this.placed.push({ orderId: answer.orderId, path, email });
      if (path === 'happy' && n % CANCEL_EVERY === 0) {
        // A customer changing their mind: allowed until dispatch, refused (409) after; either is fine.
        await fetch(`${api}/orders/${answer.orderId}/cancel`, { method: 'POST', headers: signedIn, signal: AbortSignal.timeout(30_000) }).catch(() => undefined);
      }
    } catch (error) {
      // Connection refused or timed out: the order service is down (or frozen).
      this.refusals.push({ answer: errorCode(error), at: sentAt });
    }
  }
}

/**
 * What failed, for the report: the system error code when there is one (ECONNREFUSED, ...), a
 * timeout as TimeoutError, else the error's message (e.g. Keycloak refusing to renew a token).
 */
function errorCode(error: unknown): string {
  const cause = (error as { cause?: { code?: string } }).cause;
  if (cause?.code) return cause.code;
  if (!(error instanceof Error) || error.name !== 'Error') return error instanceof Error ? error.name : String(error);
  return error.message.slice(0, 80);
}

function refusedConnection(error: unknown): boolean {
  return errorCode(error) === 'ECONNREFUSED';
}
