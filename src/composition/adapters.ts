import type Docker from 'dockerode';
import type { Redis } from 'ioredis';
import { connectDocker } from '../core/adapters/docker/docker-connection.js';
import { DockerRuntime } from '../core/adapters/docker/docker-runtime.js';
import { RedisKeys } from '../core/adapters/redis/keys.js';
import { maxmemoryPolicy } from '../core/adapters/redis/maxmemory-policy.js';
import { RedisAuditTrail } from '../core/adapters/redis/redis-audit-trail.js';
import { connectRedis, describeRedis } from '../core/adapters/redis/redis-connection.js';
import { RedisFinalLogs } from '../core/adapters/redis/redis-final-logs.js';
import { RedisLeaseStore } from '../core/adapters/redis/redis-lease-store.js';
import { RedisLock } from '../core/adapters/redis/redis-lock.js';
import { RedisNoticeOutbox } from '../core/adapters/redis/redis-notice-outbox.js';
import type { Config } from '../core/config/config.js';
import { DEFAULT_AUDIT_RETENTION_MS } from '../core/domain/audit.js';
import { MINUTE_MS } from '../core/domain/lease.js';

export interface AdapterSettings {
  /** REDIS_URL, or the embedded server's socket. */
  readonly redisUrl: string;
  /** REDIS_PREFIX: every key starts with it. */
  readonly redisPrefix: string;
  /** DOCKER_HOST; unset means the local socket. */
  readonly dockerHost: string | undefined;
  /** How long before expiry the store hands out a warning (LEASE_WARN_MINUTES); 0 disables them. */
  readonly warnBeforeMs: number;
  /** How long audit entries are kept (AUDIT_RETENTION_DAYS). @defaultValue 90 days */
  readonly auditRetentionMs?: number;
  /**
   * A second Redis connection for the outbox's blocking reads, which hold their connection while
   * they wait. Only a process that runs the notice dispatcher reads. @defaultValue false
   */
  readonly blockingReads?: boolean;
  /** Hears about Redis connection problems (ioredis reconnects by itself). @defaultValue ignore them */
  readonly onRedisError?: (error: Error) => void;
}

/** The Redis and Docker adapters of one process, over its own connections. */
export interface Adapters {
  readonly redis: Redis;
  readonly keys: RedisKeys;
  readonly store: RedisLeaseStore;
  readonly audit: RedisAuditTrail;
  readonly outbox: RedisNoticeOutbox;
  readonly finalLogs: RedisFinalLogs;
  readonly lock: RedisLock;
  readonly docker: Docker;
  readonly runtime: DockerRuntime;
  /** Where Redis is, for logs and messages: host and port or socket, never credentials. */
  readonly redisWhere: string;
  /** Where the Docker engine was looked for, for logs and messages. */
  readonly dockerWhere: string;
  /** What `/readyz` asks: Redis answering (with its maxmemory-policy) and the engine answering a ping. */
  readonly readiness: {
    redis(): Promise<{ readonly maxmemoryPolicy: string }>;
    docker(): Promise<void>;
  };
  /** Closes the Redis connections; the Docker client holds none between calls. */
  close(): Promise<void>;
}

/** The adapter settings of a configuration; `redisUrl` is passed in because it may be the embedded server's. */
export function adapterSettings(config: Config, redisUrl: string): AdapterSettings {
  return {
    redisUrl,
    redisPrefix: config.redis.prefix,
    dockerHost: config.docker.host,
    warnBeforeMs: config.lease.warnMinutes * MINUTE_MS,
    auditRetentionMs: config.audit.retentionMs,
  };
}

/**
 * Connects to Redis and Docker and builds every adapter on them: the one place that does, for the
 * product, its cleanup worker and the tests alike. Connecting is lazy; nothing is asked yet.
 */
export function openAdapters(settings: AdapterSettings): Adapters {
  const onError = settings.onRedisError ?? (() => {});
  const redis = connectRedis(settings.redisUrl, onError);
  const blocking = settings.blockingReads ? connectRedis(settings.redisUrl, onError) : redis;
  const keys = new RedisKeys(settings.redisPrefix);
  const auditRetentionMs = settings.auditRetentionMs ?? DEFAULT_AUDIT_RETENTION_MS;
  const { docker, where } = connectDocker(settings.dockerHost);
  const runtime = new DockerRuntime(docker, where);
  return {
    redis,
    keys,
    store: new RedisLeaseStore(redis, keys, { warnBeforeMs: settings.warnBeforeMs, auditRetentionMs }),
    audit: new RedisAuditTrail(redis, keys, auditRetentionMs),
    outbox: new RedisNoticeOutbox(redis, blocking, keys),
    finalLogs: new RedisFinalLogs(redis, keys),
    lock: new RedisLock(redis, keys),
    docker,
    runtime,
    redisWhere: describeRedis(redis),
    dockerWhere: where,
    readiness: {
      redis: async () => ({ maxmemoryPolicy: await maxmemoryPolicy(redis) }),
      docker: () => runtime.ping(),
    },
    close: async () => {
      if (blocking !== redis) blocking.disconnect();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
