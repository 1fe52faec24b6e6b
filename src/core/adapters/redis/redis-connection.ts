import { Redis, type RedisOptions } from 'ioredis';
import { StoreUnavailableError } from '../../errors.js';
import { defineScripts } from './scripts.js';

/** Connection settings that fail a command within about a second when Redis is down, instead of hanging. */
const FAIL_FAST: RedisOptions = {
  maxRetriesPerRequest: 1,
  connectTimeout: 2_000,
  enableOfflineQueue: true,
  retryStrategy: (times) => Math.min(times * 100, 2_000),
};

/** `redis://…`, `rediss://…`, `unix:///path` or a bare socket path. */
export function redisOptionsFor(url: string): RedisOptions {
  if (url.startsWith('unix://')) return { path: url.slice('unix://'.length) };
  if (url.startsWith('/')) return { path: url };
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 6379,
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0,
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
  };
}

/** A connection with the product's scripts defined. Errors are logged by the caller's `onError`. */
export function connectRedis(url: string, onError: (error: Error) => void, extra: RedisOptions = {}): Redis {
  const redis = new Redis({ ...FAIL_FAST, ...redisOptionsFor(url), ...extra });
  redis.on('error', onError);
  defineScripts(redis);
  return redis;
}

/** Where a connection points, for messages (without credentials). */
export function describeRedis(redis: Redis): string {
  const { path, host, port } = redis.options;
  return path ? `unix://${path}` : `redis://${host}:${port}`;
}

/** Runs a Redis call; a connection failure becomes `store_unavailable` naming where Redis was looked for. */
export async function storeCall<T>(redis: Redis, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isConnectionError(error)) {
      const detail =
        (error as Error).name === 'MaxRetriesPerRequestError' ? '' : ` (${(error as Error).message})`;
      throw new StoreUnavailableError(
        `Redis is unreachable at ${describeRedis(redis)}${detail}. Is redis-server running?`,
        {
          cause: error,
        },
      );
    }
    throw error;
  }
}

function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as NodeJS.ErrnoException).code;
  return (
    error.name === 'MaxRetriesPerRequestError' ||
    code === 'ECONNREFUSED' ||
    code === 'ENOENT' ||
    code === 'ETIMEDOUT' ||
    code === 'ECONNRESET' ||
    /Connection is closed|Stream isn't writeable|connect ETIMEDOUT/.test(error.message)
  );
}
