import * as crypto from 'node:crypto';

/**
 * Requests per second Stripe allows one key by default: 25 in test mode (and sandboxes), 100 in live
 * mode (docs.stripe.com/rate-limits). A stack may lower its share (`stripe-issuing:maxRequestsPerSecond`)
 * when other tools use the same key.
 */
export const STRIPE_RATE_LIMITS = { test: 25, live: 100 } as const;

/**
 * Share of the allowed rate the pacer sends at. A limiter counting requests per rolling second refuses
 * a request that arrives a hair early, and network jitter moves arrivals by milliseconds: sending at
 * exactly the limit meets a 429 about every other second, 5 % below it almost never.
 */
export const HEADROOM = 0.95;
/**
 * Engine parallelism (`pulumi up --parallel`) that keeps a pacer of `requestsPerSecond` full. By
 * Little's law the requests in flight are the rate times how long each takes; Stripe answers a create
 * in well under a second, so the rate times one second leaves no slot of the pacer unused. The CLI's
 * own default is four per core (8 on 2 cores: at 0.5 s a request, 16 requests/s at most).
 */
export function engineParallelism(requestsPerSecond: number): number {
  return Math.max(8, Math.ceil(requestsPerSecond));
}

/** After a 429 the pace drops to this share, then climbs back by 1 % of the ceiling per accepted request. */
const BACK_OFF_FACTOR = 0.7;
const RECOVERY_STEP = 0.01;
const MIN_RATE = 1;

/**
 * A token bucket of one token refilled at `rate` per second, shared by every request sent with one key
 * from this process: requests are spaced evenly instead of bursting into Stripe's limit and backing
 * off one by one. Adaptive: a 429 (someone else spends the key's budget too, or the limit is lower than
 * configured) slows the pace and pauses every sender for `Retry-After` when Stripe sends it.
 */
export class RequestPacer {
  private rate: number;
  /** Earliest time the next request may start (ms on `now`'s clock). */
  private nextSlot = 0;
  private pausedUntil = 0;

  constructor(
    readonly ceiling: number,
    private readonly now: () => number = () => performance.now(),
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    if (!(ceiling > 0)) throw new Error(`a request pace must be a positive number of requests per second, got ${ceiling}`);
    this.rate = ceiling;
  }

  /** Requests per second the pacer currently allows. */
  get currentRate(): number {
    return this.rate;
  }

  /** Resolves when one request may be sent. */
  async acquire(): Promise<void> {
    for (;;) {
      const now = this.now();
      const slot = Math.max(now, this.nextSlot, this.pausedUntil);
      this.nextSlot = slot + 1000 / this.rate;
      if (slot > now) await this.sleep(slot - now);
      // A 429 that arrived while this request waited pauses it too.
      if (this.now() >= this.pausedUntil) return;
    }
  }

  /** An accepted request: the pace climbs back toward the ceiling. */
  accepted(): void {
    this.rate = Math.min(this.ceiling, this.rate + this.ceiling * RECOVERY_STEP);
  }

  /** A 429: slow down, and pause everyone for `retryAfterMs` (Stripe's `Retry-After`) or one new interval. */
  rateLimited(retryAfterMs?: number): void {
    this.rate = Math.max(MIN_RATE, Math.min(this.rate, this.ceiling) * BACK_OFF_FACTOR);
    const pause = retryAfterMs !== undefined && retryAfterMs >= 0 ? retryAfterMs : 1000 / this.rate;
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + pause);
  }
}

// One registry per process, on globalThis: the program, tests and the dynamic-provider process may load
// this module more than once (TypeScript source and the compiled package), and they must still share
// one pace per key. Keyed by a hash, so the registry never holds a key.
const REGISTRY = '__stripeIssuingRequestPacers';
type Registry = { [REGISTRY]?: Map<string, RequestPacer> };

/** The process-wide pacer of one Stripe key at `requestsPerSecond` (its ceiling is fixed when first asked for). */
export function pacerFor(apiKey: string, requestsPerSecond: number): RequestPacer {
  const holder = globalThis as Registry;
  holder[REGISTRY] ??= new Map();
  const registry = holder[REGISTRY];
  const id = `${crypto.createHash('sha256').update(apiKey).digest('hex')}@${requestsPerSecond}`;
  let pacer = registry.get(id);
  if (pacer === undefined) {
    pacer = new RequestPacer(requestsPerSecond * HEADROOM);
    registry.set(id, pacer);
  }
  return pacer;
}
