import type { RedisClient } from './redis-connection.js';

/**
 * The server's `maxmemory-policy`, which must be `noeviction` (an evicted lease is a leaked
 * container); `/readyz` warns otherwise. `unknown` where CONFIG is disabled or renamed, as managed
 * RedisClient services often do; an unreachable server throws, so the check fails.
 */
export async function maxmemoryPolicy(redis: RedisClient): Promise<string> {
  try {
    const reply = (await redis.config('GET', 'maxmemory-policy')) as string[];
    return reply[1] ?? 'unknown';
  } catch (error) {
    if (/unknown command|CONFIG/i.test((error as Error).message)) return 'unknown';
    throw error;
  }
}
