import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { HostPort } from '../../config/schemas.js';
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
    // No path or `/` is db 0 (Number('') is 0).
    db: Number(parsed.pathname.slice(1)),
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
  };
}

/** One Redis server, a primary found through Sentinel, or a Cluster: the adapters use them alike. */
export type RedisClient = Redis | Cluster;

/** Where the product's Redis is: a URL (or the embedded server's socket), Sentinels, or a Cluster. */
export type RedisTarget =
  | { readonly url: string }
  | { readonly sentinels: readonly HostPort[]; readonly name: string }
  | { readonly clusterNodes: readonly HostPort[] };

/**
 * A primary that Sentinel demoted keeps its clients' connections open and answers writes with
 * READONLY: reconnect (asking the Sentinels again) and send the command again.
 */
const reconnectOnReadOnly = (error: Error): 2 | false => error.message.startsWith('READONLY') && 2;

/** A connection to `target` with the product's scripts defined. Errors are logged by the caller's `onError`. */
export function connectTarget(target: RedisTarget, onError: (error: Error) => void): RedisClient {
  if ('url' in target) return connectRedis(target.url, onError);
  if ('sentinels' in target) {
    return connectRedis('', onError, {
      sentinels: target.sentinels.map(({ host, port }) => ({ host, port })),
      name: target.name,
      reconnectOnError: reconnectOnReadOnly,
    });
  }
  const cluster = new Cluster(
    target.clusterNodes.map(({ host, port }) => ({ host, port })),
    {
      redisOptions: {
        connectTimeout: FAIL_FAST.connectTimeout,
        maxRetriesPerRequest: FAIL_FAST.maxRetriesPerRequest,
      },
      clusterRetryStrategy: FAIL_FAST.retryStrategy,
      enableOfflineQueue: true,
      // While a replica takes over a failed primary's slots, commands wait and are sent again.
      retryDelayOnFailover: 200,
      retryDelayOnClusterDown: 200,
      retryDelayOnTryAgain: 200,
    },
  );
  cluster.on('error', onError);
  defineScripts(cluster);
  return cluster;
}

/** A connection with the product's scripts defined. Errors are logged by the caller's `onError`. */
export function connectRedis(url: string, onError: (error: Error) => void, extra: RedisOptions = {}): Redis {
  const redis = new Redis({ ...FAIL_FAST, ...(url ? redisOptionsFor(url) : {}), ...extra });
  redis.on('error', onError);
  defineScripts(redis);
  return redis;
}

/** Where a connection points, for messages (without credentials). */
export function describeRedis(redis: RedisClient): string {
  if (redis instanceof Cluster) {
    const nodes = redis.nodes('all').map(({ options }) => `${options.host}:${options.port}`);
    return `the Redis Cluster of ${nodes.join(',') || 'no reachable node'}`;
  }
  const { path, host, port, sentinels, name } = redis.options;
  if (sentinels)
    return `the primary ${name} of Sentinels ${sentinels.map((node) => `${node.host}:${node.port}`).join(',')}`;
  return path ? `unix://${path}` : `redis://${host}:${port}`;
}

/** Runs a Redis call; a connection failure becomes `store_unavailable` naming where Redis was looked for. */
export async function storeCall<T>(redis: RedisClient, call: () => Promise<T>): Promise<T> {
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
    error.name === 'ClusterAllFailedError' ||
    /Connection is closed|Stream isn't writeable|connect ETIMEDOUT|All sentinels are unreachable|CLUSTERDOWN|Failed to refresh slots cache|None of startup nodes is available/.test(
      error.message,
    )
  );
}
