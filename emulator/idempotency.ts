// Idempotency like Stripe: per account and key, the first response is replayed for the same request
// (with `Idempotent-Replayed: true`), a different request with the same key is a 400
// `idempotency_error`, and a key whose first request is still running is a 409. Keys expire after 24 h.
const KEY_LIFETIME_MS = 24 * 60 * 60 * 1000;

export interface StoredResponse {
  status: number;
  body: string;
}

interface Entry {
  fingerprint: string;
  startedAt: number;
  response: StoredResponse | null;
}

export type IdempotencyOutcome =
  | { kind: 'first' }
  | { kind: 'replay'; response: StoredResponse }
  | { kind: 'mismatch' }
  | { kind: 'in_flight' };

export class IdempotencyKeys {
  private readonly entries = new Map<string, Entry>();

  begin(accountId: string, key: string, fingerprint: string): IdempotencyOutcome {
    this.prune();
    const id = `${accountId}\u0000${key}`;
    const entry = this.entries.get(id);
    if (!entry) {
      this.entries.set(id, { fingerprint, startedAt: Date.now(), response: null });
      return { kind: 'first' };
    }
    if (entry.fingerprint !== fingerprint) return { kind: 'mismatch' };
    return entry.response ? { kind: 'replay', response: entry.response } : { kind: 'in_flight' };
  }

  /** Saves the response to replay later. */
  complete(accountId: string, key: string, response: StoredResponse): void {
    const entry = this.entries.get(`${accountId}\u0000${key}`);
    if (entry) entry.response = response;
  }

  /** Forgets a key whose request never started executing (e.g. invalid parameters), as Stripe does. */
  release(accountId: string, key: string): void {
    this.entries.delete(`${accountId}\u0000${key}`);
  }

  /** Forgets every key, as Stripe does once keys are older than 24 hours (a test control). */
  forgetAll(): void {
    this.entries.clear();
  }

  private prune(): void {
    const cutoff = Date.now() - KEY_LIFETIME_MS;
    for (const [id, entry] of this.entries) if (entry.startedAt < cutoff) this.entries.delete(id);
  }
}
