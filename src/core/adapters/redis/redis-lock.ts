import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { RedisKeys } from './keys.js';
import { storeCall } from './redis-connection.js';

/**
 * A single-Redis lock (SET NX PX, released only by its holder). It is an efficiency lock: the
 * cleanup is idempotent, so if it ever fails two instances merely do the same work.
 */
export class RedisLock {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  /** @returns the holder's token, or null when another holder has it */
  acquire(name: string, ttlMs: number): Promise<string | null> {
    return storeCall(this.redis, async () => {
      const token = randomUUID();
      const reply = await this.redis.set(this.keys.lock(name), token, 'PX', ttlMs, 'NX');
      return reply === 'OK' ? token : null;
    });
  }

  /** @returns false when the lock had expired and someone else holds it now */
  release(name: string, token: string): Promise<boolean> {
    return storeCall(
      this.redis,
      async () => (await this.redis.releaseLock(this.keys.lock(name), token)) === 1,
    );
  }
}
