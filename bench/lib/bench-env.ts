import { randomBytes } from 'node:crypto';
import type Docker from 'dockerode';
import type { Redis } from 'ioredis';
import { connectDocker } from '../../src/core/adapters/docker/docker-connection.js';
import { DockerRuntime } from '../../src/core/adapters/docker/docker-runtime.js';
import { RedisKeys } from '../../src/core/adapters/redis/keys.js';
import { connectRedis } from '../../src/core/adapters/redis/redis-connection.js';
import { RedisFinalLogs } from '../../src/core/adapters/redis/redis-final-logs.js';
import { RedisLeaseStore } from '../../src/core/adapters/redis/redis-lease-store.js';
import { RedisNoticeOutbox } from '../../src/core/adapters/redis/redis-notice-outbox.js';
import { ImageCatalog } from '../../src/core/config/image-catalog.js';
import { LinkTokens } from '../../src/core/links/link-tokens.js';
import { SignedLinks } from '../../src/core/links/signed-links.js';
import type { Clock } from '../../src/core/ports/clock.js';
import { silentLogger } from '../../src/core/ports/logger.js';
import { AccessPolicy } from '../../src/core/services/access-policy.js';
import { LeaseService } from '../../src/core/services/lease-service.js';
import { LifecycleService } from '../../src/core/services/lifecycle-service.js';

export const BENCH_IMAGE = process.env.TEST_IMAGE ?? 'local/busybox:latest';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const LIMITS = { memoryBytes: 64 * 1024 ** 2, nanoCpus: 5e8, pidsLimit: 64 };
export const KEEP_ALIVE = ['sleep', 'infinity'];

/** The same hardening ContainerLease applies, so a baseline differs from us only by our own code. */
export function bareCreateOptions(name: string) {
  return {
    name,
    Image: BENCH_IMAGE,
    Cmd: KEEP_ALIVE,
    HostConfig: {
      Memory: LIMITS.memoryBytes,
      MemorySwap: LIMITS.memoryBytes,
      NanoCpus: LIMITS.nanoCpus,
      PidsLimit: LIMITS.pidsLimit,
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges:true'],
      Init: true,
    },
    Labels: { 'io.containerlease.bench': 'baseline' },
  };
}

/** A Redis prefix, an instance id and the core services on real Redis and Docker, for one benchmark. */
export function benchEnv(clock: Clock, overrides: { maxPerUser?: number } = {}) {
  const redis: Redis = connectRedis(REDIS_URL, () => {});
  const prefix = `bench:${randomBytes(4).toString('hex')}:`;
  const instanceId = `bench-${randomBytes(4).toString('hex')}`;
  const keys = new RedisKeys(prefix);
  const { docker, where } = connectDocker(process.env.TEST_DOCKER_HOST);
  const runtime = new DockerRuntime(docker, where);
  const store = new RedisLeaseStore(redis, keys, { warnBeforeMs: 0 });
  const now = () => clock.now();
  const leases = new LeaseService({
    store,
    runtime,
    clock,
    catalog: new ImageCatalog([
      { name: 'busybox', image: BENCH_IMAGE, cmd: KEEP_ALIVE, description: 'bench', maxMinutes: undefined, capAdd: [] },
    ]),
    access: new AccessPolicy([]),
    links: new SignedLinks(new LinkTokens('bench-secret-0123456789abcdef0123', now), 'http://bench', now),
    logger: silentLogger,
    policy: {
      defaultMinutes: 60,
      maxMinutes: 480,
      maxPerUser: overrides.maxPerUser ?? 10_000,
      warnMinutes: 0,
      maxTotalMinutes: 1440,
      provisionTimeoutMs: 600_000,
    },
    limits: LIMITS,
    stopTimeoutSeconds: 10,
    visibilityTimeoutMs: 120_000,
    instanceId,
  });
  const lifecycle = (concurrency: number) =>
    new LifecycleService({
      store,
      runtime,
      outbox: new RedisNoticeOutbox(redis, redis, keys),
      finalLogs: new RedisFinalLogs(redis, keys),
      clock,
      logger: silentLogger,
      instanceId,
      visibilityTimeoutMs: 120_000,
      concurrency,
      stopTimeoutSeconds: 10,
    });
  const cleanup = async () => {
    await removeLabelled(docker, `io.containerlease.instance=${instanceId}`);
    await removeLabelled(docker, 'io.containerlease.bench=baseline');
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (found.length > 0) await redis.unlink(...found);
    } while (cursor !== '0');
    redis.disconnect();
  };
  return { redis, keys, prefix, instanceId, docker, runtime, store, leases, lifecycle, cleanup };
}

export async function removeLabelled(docker: Docker, label: string): Promise<void> {
  const found = await docker.listContainers({ all: true, filters: { label: [label] } });
  await Promise.all(found.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => {})));
}
