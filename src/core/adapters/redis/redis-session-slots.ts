import type { SessionKind, SessionSlots } from '../../ports/session-slots.js';
import type { RedisKeys } from './keys.js';
import type { RedisClient } from './redis-connection.js';
import { storeCall } from './redis-connection.js';

/** Session places as one sorted set per lease and kind, changed by one script (takeSlot-1.lua). */
export class RedisSessionSlots implements SessionSlots {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  take(kind: SessionKind, leaseId: string, holder: string, max: number, ttlMs: number): Promise<boolean> {
    return storeCall(
      this.redis,
      // Stryker disable next-line EqualityOperator: takeSlot replies -1 (full) or the places now held, never 0
      async () => (await this.redis.takeSlot(this.keys.sessions(kind, leaseId), holder, max, ttlMs)) > 0,
    );
  }

  release(kind: SessionKind, leaseId: string, holder: string): Promise<void> {
    return storeCall(this.redis, async () => {
      await this.redis.zrem(this.keys.sessions(kind, leaseId), holder);
    });
  }
}
