import { randomBytes } from 'node:crypto';
import type Docker from 'dockerode';
import { Cluster, Redis } from 'ioredis';
import { describe } from 'vitest';
import { type Adapters, openAdapters } from '../../src/composition/adapters.js';
import { connectDocker } from '../../src/core/adapters/docker/docker-connection.js';
import { type LeaseIsolation, NO_NETWORK } from '../../src/core/adapters/docker/lease-isolation.js';
import { RedisKeys } from '../../src/core/adapters/redis/keys.js';
import {
  connectRedis,
  type RedisClient,
  redisOptionsFor,
} from '../../src/core/adapters/redis/redis-connection.js';
import { MINUTE_MS } from '../../src/core/domain/lease.js';
import type { Notice } from '../../src/core/domain/notice.js';

/** The local image .ci/run imports from a static busybox (no registry is reachable here). */
export const TEST_IMAGE = process.env.TEST_IMAGE ?? 'local/busybox:latest';
/** The test image plus websocketd, for the port proxy's tests (scripts/make-web-test-image.sh). */
export const TEST_WEB_IMAGE = process.env.TEST_WEB_IMAGE ?? 'local/busybox-web:latest';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const DOCKER_HOST = process.env.TEST_DOCKER_HOST;
/** This run's lease network (test/support/lease-network-setup.ts); `none` without an engine. */
export const TEST_LEASE_NETWORK = process.env.TEST_LEASE_NETWORK ?? 'none';

async function redisAvailable(): Promise<boolean> {
  // A bare connection: one with the product's scripts would load them as this module loads, before
  // Stryker switches a mutant of scripts.ts on, which then no test could see.
  const redis = new Redis({ ...redisOptionsFor(REDIS_URL), lazyConnect: true, retryStrategy: () => null });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
    return true;
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

async function dockerAvailable(): Promise<boolean> {
  const { docker } = connectDocker(DOCKER_HOST);
  try {
    await docker.getImage(TEST_IMAGE).inspect();
    return true;
  } catch {
    return false;
  }
}

const [hasRedis, hasDocker] = await Promise.all([redisAvailable(), dockerAvailable()]);

/**
 * A describe block that needs real Redis and/or Docker. Outside CI it is skipped when they are
 * missing; with CI=true it runs anyway, so a missing service fails the build instead of hiding.
 */
export function describeWith(needs: { redis?: boolean; docker?: boolean }) {
  const missing = (needs.redis && !hasRedis) || (needs.docker && !hasDocker);
  return process.env.CI === 'true' ? describe : describe.skipIf(Boolean(missing));
}

/** A prefix no other test uses, so tests run side by side on one Redis. */
export function uniquePrefix(): string {
  return `test:${randomBytes(5).toString('hex')}:`;
}

export function uniqueInstance(): string {
  return `test-${randomBytes(5).toString('hex')}`;
}

/**
 * The product's Redis and Docker adapters, built as the product builds them, on the test Redis and
 * Docker engine under `prefix`. Warnings are handed out ten minutes before expiry, and leases join
 * this run's network, unless said otherwise.
 */
export function openTestAdapters(
  prefix: string,
  options: { warnBeforeMs?: number; isolation?: LeaseIsolation; auditRetentionMs?: number } = {},
): Adapters {
  return openAdapters({
    redisUrl: REDIS_URL,
    redisPrefix: prefix,
    dockerHost: DOCKER_HOST,
    warnBeforeMs: options.warnBeforeMs ?? 10 * MINUTE_MS,
    isolation: options.isolation ?? { ...NO_NETWORK, network: TEST_LEASE_NETWORK },
    ...(options.auditRetentionMs === undefined ? {} : { auditRetentionMs: options.auditRetentionMs }),
  });
}

/** The notices queued in the outbox under the adapters' prefix, oldest first. */
export async function queuedNotices(adapters: Pick<Adapters, 'redis' | 'keys'>): Promise<Notice[]> {
  const entries = await adapters.redis.xrange(adapters.keys.notifications(), '-', '+');
  return entries.map(([, fields]) => JSON.parse(fields[1] ?? '{}') as Notice);
}

export function testRedis(): Redis {
  return connectRedis(REDIS_URL, () => {});
}

export function testDocker(): Docker {
  return connectDocker(DOCKER_HOST).docker;
}

/** Deletes every key under the prefix; run after each test file. */
export async function flushPrefix(redis: RedisClient, prefix: string): Promise<void> {
  const pattern = `${new RedisKeys(prefix).base.replace(/[{}]/g, '\\$&')}*`;
  // A Cluster's SCAN sees one node: ask every primary (the keys share one slot, so one has them).
  for (const node of redis instanceof Cluster ? redis.nodes('master') : [redis]) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await node.del(...keys);
    } while (cursor !== '0');
  }
}

/** Removes every container of a test instance. */
export async function removeInstanceContainers(docker: Docker, instanceId: string): Promise<void> {
  const containers = await docker.listContainers({
    all: true,
    filters: { label: [`io.containerlease.instance=${instanceId}`] },
  });
  await Promise.all(
    containers.map((c) =>
      docker
        .getContainer(c.Id)
        .remove({ force: true })
        .catch(() => {}),
    ),
  );
}
