import type { SessionKind, SessionSlots } from '../../src/core/ports/session-slots.js';

/** Session places in memory, expiring by the given clock, as RedisSessionSlots does by Redis's. */
export class InMemorySessionSlots implements SessionSlots {
  private readonly places = new Map<string, Map<string, number>>();

  constructor(private readonly now: () => number = Date.now) {}

  async take(
    kind: SessionKind,
    leaseId: string,
    holder: string,
    max: number,
    ttlMs: number,
  ): Promise<boolean> {
    const key = `${kind}:${leaseId}`;
    const holders = this.places.get(key) ?? new Map<string, number>();
    for (const [other, expiresAt] of holders) if (expiresAt <= this.now()) holders.delete(other);
    if (!holders.has(holder) && holders.size >= max) return false;
    holders.set(holder, this.now() + ttlMs);
    this.places.set(key, holders);
    return true;
  }

  async release(kind: SessionKind, leaseId: string, holder: string): Promise<void> {
    this.places.get(`${kind}:${leaseId}`)?.delete(holder);
  }
}
