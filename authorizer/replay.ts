// Remembers the ids of verified events for as long as their signatures stay fresh, so a captured
// request re-sent inside the signature tolerance is refused. Bounded: beyond `capacity` the oldest
// ids are forgotten first (an attacker would need that many fresh, validly signed events).
export class RecentEventIds {
  private readonly seenAt = new Map<string, number>();

  constructor(
    private readonly retainMs: number,
    private readonly capacity = 10_000,
  ) {
    if (!(capacity > 0)) throw new Error(`capacity must be positive, got ${capacity}`);
  }

  /** Records `id`; returns false when it was already seen within the retention window. */
  remember(id: string, nowMs = Date.now()): boolean {
    this.forgetExpired(nowMs);
    if (this.seenAt.has(id)) return false;
    if (this.seenAt.size >= this.capacity) this.seenAt.delete(this.seenAt.keys().next().value as string);
    this.seenAt.set(id, nowMs);
    return true;
  }

  get size(): number {
    return this.seenAt.size;
  }

  // Map iteration follows insertion order, which is arrival order: stop at the first fresh id.
  private forgetExpired(nowMs: number): void {
    for (const [id, at] of this.seenAt) {
      if (nowMs - at < this.retainMs) return;
      this.seenAt.delete(id);
    }
  }
}
