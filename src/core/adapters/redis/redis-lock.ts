import { randomUUID } from 'node:crypto';
import type { Lock } from '../../ports/lock.js';
import type { RedisKeys } from './keys.js';
import { type RedisClient, storeCall } from './redis-connection.js';

/** The lock on a single Redis: SET NX PX, released only by its holder (a script compares the token). */
export class RedisLock implements Lock {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  acquire(name: string, ttlMs: number): Promise<string | null> {
    return storeCall(this.redis, async () => {
      const token = randomUUID();
      const reply = await this.redis.set(this.keys.lock(name), token, 'PX', ttlMs, 'NX');
      return reply === 'OK' ? token : null;
    });
  }

  release(name: string, token: string): Promise<boolean> {
    return storeCall(
      this.redis,
      async () => (await this.redis.releaseLock(this.keys.lock(name), token)) === 1,
    );
  }
}
