import type Docker from 'dockerode';
import { connectDocker } from '../core/adapters/docker/docker-connection.js';
import { DockerRuntime } from '../core/adapters/docker/docker-runtime.js';
import { DockerExec } from '../core/adapters/docker/exec/docker-exec.js';
import { type LeaseIsolation, NO_NETWORK } from '../core/adapters/docker/lease-isolation.js';
import { RedisKeys } from '../core/adapters/redis/keys.js';
import { maxmemoryPolicy } from '../core/adapters/redis/maxmemory-policy.js';
import { RedisAuditTrail } from '../core/adapters/redis/redis-audit-trail.js';
import {
  connectTarget,
  describeRedis,
  type RedisClient,
  type RedisTarget,
} from '../core/adapters/redis/redis-connection.js';
import { RedisFinalLogs } from '../core/adapters/redis/redis-final-logs.js';
import { RedisLeaseStore } from '../core/adapters/redis/redis-lease-store.js';
import { RedisLock } from '../core/adapters/redis/redis-lock.js';
import { RedisNoticeOutbox } from '../core/adapters/redis/redis-notice-outbox.js';
import { RedisPoolStore } from '../core/adapters/redis/redis-pool-store.js';
import { RedisSessionSlots } from '../core/adapters/redis/redis-session-slots.js';
import { RedisTerminalTickets } from '../core/adapters/redis/redis-terminal-tickets.js';
import type { Config } from '../core/config/config.js';
import { DEFAULT_AUDIT_RETENTION_MS } from '../core/domain/audit.js';
import { MINUTE_MS } from '../core/domain/lease.js';

export interface AdapterSettings {
  /** REDIS_URL, or the embedded server's socket; unused when `sentinel` or `clusterNodes` say where Redis is. */
  readonly redisUrl: string;
  /** REDIS_SENTINELS and REDIS_SENTINEL_NAME. */
  readonly sentinel?: Config['redis']['sentinel'];
  /** REDIS_CLUSTER_NODES. */
  readonly clusterNodes?: Config['redis']['clusterNodes'];
  /** REDIS_PREFIX: every key starts with it. */
  readonly redisPrefix: string;
  /** DOCKER_HOST; unset means the local socket. */
  readonly dockerHost: string | undefined;
  /** The network, disk limit and runtime of every lease. @defaultValue no network, 2 GiB, the engine's runtime */
  readonly isolation?: LeaseIsolation;
  /** DOCKER_TLS_VERIFY's certificate folder; unset means no client certificate. */
  readonly dockerTlsCertPath?: string | undefined;
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
  readonly redis: RedisClient;
  readonly keys: RedisKeys;
  readonly store: RedisLeaseStore;
  readonly audit: RedisAuditTrail;
  readonly outbox: RedisNoticeOutbox;
  readonly finalLogs: RedisFinalLogs;
  readonly lock: RedisLock;
  readonly pool: RedisPoolStore;
  /** The places of the terminals and commands running in each lease, over all instances. */
  readonly slots: RedisSessionSlots;
  readonly tickets: RedisTerminalTickets;
  readonly docker: Docker;
  readonly runtime: DockerRuntime;
  /** Processes in a lease's container: terminals and commands. */
  readonly exec: DockerExec;
  /** Where Redis is, for logs and messages: host and port or socket, never credentials. */
  readonly redisWhere: string;
  /** Where the Docker engine was looked for, for logs and messages. */
  readonly dockerWhere: string;
  /**
   * What `/readyz` asks: Redis answering (with its maxmemory-policy), and the engine answering a
   * ping and able to make leases as configured (its runtime known, the lease network there).
   */
  readonly readiness: {
    redis(): Promise<{ readonly maxmemoryPolicy: string }>;
    docker(): Promise<void>;
  };
  /** Closes the Redis connections; the Docker client holds none between calls. */
  close(): Promise<void>;
}

/** What an activation or extension waits for behind Sentinel: one replica, at most 500 ms. */
export const REPLICA_ACKS = { replicas: 1, timeoutMs: 500 } as const;

/** The adapter settings of a configuration; `redisUrl` is passed in because it may be the embedded server's. */
export function adapterSettings(config: Config, redisUrl: string): AdapterSettings {
  return {
    redisUrl,
    sentinel: config.redis.sentinel,
    clusterNodes: config.redis.clusterNodes,
    redisPrefix: config.redis.prefix,
    dockerHost: config.docker.host,
    isolation: config.isolation,
    dockerTlsCertPath: config.docker.tlsCertPath,
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
  const target = redisTarget(settings);
  const redis = connectTarget(target, onError);
  const blocking = settings.blockingReads ? connectTarget(target, onError) : redis;
  const keys = new RedisKeys(settings.redisPrefix);
  const auditRetentionMs = settings.auditRetentionMs ?? DEFAULT_AUDIT_RETENTION_MS;
  const { docker, where } = connectDocker(settings.dockerHost, settings.dockerTlsCertPath);
  const runtime = new DockerRuntime(docker, where, {}, settings.isolation ?? NO_NETWORK);
  return {
    redis,
    keys,
    store: new RedisLeaseStore(redis, keys, {
      warnBeforeMs: settings.warnBeforeMs,
      auditRetentionMs,
      // Behind Sentinel the replica may become the primary: an activation or extension it lacks
      // would end a container early. A replica that does not answer within 500 ms is not waited for.
      replicaAcks: settings.sentinel ? REPLICA_ACKS : undefined,
    }),
    audit: new RedisAuditTrail(redis, keys, auditRetentionMs),
    outbox: new RedisNoticeOutbox(redis, blocking, keys),
    finalLogs: new RedisFinalLogs(redis, keys),
    lock: new RedisLock(redis, keys),
    pool: new RedisPoolStore(redis, keys, auditRetentionMs),
    slots: new RedisSessionSlots(redis, keys),
    tickets: new RedisTerminalTickets(redis, keys),
    docker,
    runtime,
    exec: new DockerExec(docker, where),
    redisWhere: describeRedis(redis),
    dockerWhere: where,
    readiness: {
      redis: async () => ({ maxmemoryPolicy: await maxmemoryPolicy(redis) }),
      docker: async () => {
        await runtime.ping();
        const problem = await runtime.isolationProblem();
        if (problem) throw new Error(problem);
      },
    },
    close: async () => {
      if (blocking !== redis) blocking.disconnect();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/** Sentinels or a Cluster when configured, else the one server of `redisUrl`. */
function redisTarget(settings: AdapterSettings): RedisTarget {
  if (settings.sentinel) return { sentinels: settings.sentinel.nodes, name: settings.sentinel.name };
  if (settings.clusterNodes) return { clusterNodes: settings.clusterNodes };
  return { url: settings.redisUrl };
}
