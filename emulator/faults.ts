// Faults on demand for reliability tests; all can be changed while the emulator runs.
export interface FaultOptions {
  /** Requests allowed per rolling second before answering 429 `rate_limit` (Stripe test mode: 25). */
  rateLimitPerSecond?: number;
  /** Share of requests (0–1) answered with a 500 `api_error` before they execute. */
  serverErrorRatio?: number;
  /** Delay added before every response, in milliseconds. */
  latencyMs?: number;
  /**
   * Share of requests (0–1) whose connection is dropped after they executed, so the client never sees
   * the response: the case idempotency keys exist for.
   */
  dropConnectionRatio?: number;
}

export type FaultDecision = 'none' | 'rate_limit' | 'server_error';

export class Faults {
  private options: FaultOptions = {};
  private recent: number[] = [];

  set(options: FaultOptions): void {
    for (const [name, value] of Object.entries(options)) {
      if (value !== undefined && (typeof value !== 'number' || value < 0 || (name.endsWith('Ratio') && value > 1))) {
        throw new Error(`Invalid fault option ${name}: ${String(value)} (ratios are 0–1, other values non-negative numbers)`);
      }
    }
    this.options = { ...options };
  }

  get latencyMs(): number {
    return this.options.latencyMs ?? 0;
  }

  beforeRequest(now = Date.now()): FaultDecision {
    this.recent = this.recent.filter((at) => at > now - 1000);
    const limit = this.options.rateLimitPerSecond;
    if (limit !== undefined && this.recent.length >= limit) return 'rate_limit';
    this.recent.push(now);
    if (Math.random() < (this.options.serverErrorRatio ?? 0)) return 'server_error';
    return 'none';
  }

  dropAfterExecution(): boolean {
    return Math.random() < (this.options.dropConnectionRatio ?? 0);
  }
}
