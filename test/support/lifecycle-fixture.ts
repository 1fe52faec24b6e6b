import type Docker from 'dockerode';
import type { Redis } from 'ioredis';
import { DockerRuntime } from '../../src/core/adapters/docker/docker-runtime.js';
import { RedisKeys } from '../../src/core/adapters/redis/keys.js';
import { RedisFinalLogs } from '../../src/core/adapters/redis/redis-final-logs.js';
import { RedisLeaseStore } from '../../src/core/adapters/redis/redis-lease-store.js';
import { RedisNoticeOutbox } from '../../src/core/adapters/redis/redis-notice-outbox.js';
import { MINUTE_MS } from '../../src/core/domain/lease.js';
import type { Notice } from '../../src/core/domain/notice.js';
import type { ContainerRuntime } from '../../src/core/ports/container-runtime.js';
import type { Logger } from '../../src/core/ports/logger.js';
import { silentLogger } from '../../src/core/ports/logger.js';
import { LifecycleService } from '../../src/core/services/lifecycle-service.js';
import type { RetryOptions } from '../../src/core/services/retry.js';
import { ManualClock } from '../doubles/manual-clock.js';
import { alice, makeLeaseService } from './lease-service-fixture.js';
import {
  flushPrefix,
  removeInstanceContainers,
  testRedis,
  uniqueInstance,
  uniquePrefix,
} from './services.js';

/**
 * Real Redis and Docker for cleanup tests, with two clocks: `provisionClock` decides when leases
 * start (so a test can make one already due), `clock` is what the cleanup believes is now.
 */
export function makeLifecycleFixture(docker: Docker) {
  const redis: Redis = testRedis();
  const prefix = uniquePrefix();
  const instanceId = uniqueInstance();
  const keys = new RedisKeys(prefix);
  const store = new RedisLeaseStore(redis, keys, { warnBeforeMs: 10 * MINUTE_MS });
  const outbox = new RedisNoticeOutbox(redis, redis, keys);
  const finalLogs = new RedisFinalLogs(redis, keys);
  const runtime = new DockerRuntime(docker, 'test');
  const clock = new ManualClock(Date.now());
  const provisionClock = new ManualClock(Date.now());
  const leases = makeLeaseService({
    store,
    runtime,
    clock: provisionClock,
    instanceId,
    policy: { maxPerUser: 100 },
  });

  const lifecycle = (
    overrides: {
      runtime?: ContainerRuntime;
      logger?: Logger;
      visibilityTimeoutMs?: number;
      retry?: RetryOptions;
    } = {},
  ) =>
    new LifecycleService({
      store,
      runtime: overrides.runtime ?? runtime,
      finalLogs,
      clock,
      logger: overrides.logger ?? silentLogger,
      instanceId,
      visibilityTimeoutMs: overrides.visibilityTimeoutMs ?? MINUTE_MS,
      concurrency: 4,
      stopTimeoutSeconds: 2,
      retry: overrides.retry ?? { attempts: 3, baseDelayMs: 10 },
    });

  /** A running lease whose expiry is `expiresInMs` from now (negative: already due). */
  const provision = async (expiresInMs: number, minutes = 60) => {
    provisionClock.set(Date.now() + expiresInMs - minutes * MINUTE_MS);
    return leases.provision(leases.actor('local:alice'), { imageType: 'busybox', minutes, notify: alice });
  };

  const notices = async (): Promise<Notice[]> =>
    (await redis.xrange(keys.notifications(), '-', '+')).map(
      ([, fields]) => JSON.parse(fields[1] ?? '{}') as Notice,
    );

  const containers = () =>
    docker.listContainers({ all: true, filters: { label: [`io.containerlease.instance=${instanceId}`] } });

  const close = async () => {
    await removeInstanceContainers(docker, instanceId);
    await flushPrefix(redis, prefix);
    redis.disconnect();
  };

  return {
    redis,
    prefix,
    keys,
    instanceId,
    store,
    outbox,
    finalLogs,
    runtime,
    clock,
    provisionClock,
    leases,
    lifecycle,
    provision,
    notices,
    containers,
    close,
  };
}
