import type Docker from 'dockerode';
import { createLifecycleService } from '../../src/composition/services.js';
import { MINUTE_MS } from '../../src/core/domain/lease.js';
import type { ContainerRuntime } from '../../src/core/ports/container-runtime.js';
import type { Logger } from '../../src/core/ports/logger.js';
import { silentLogger } from '../../src/core/ports/logger.js';
import type { DiskLimit } from '../../src/core/services/disk-watch.js';
import type { RetryOptions } from '../../src/core/services/retry.js';
import { ManualClock } from '../doubles/manual-clock.js';
import { alice, makeLeaseService, TEST_SETTINGS } from './lease-service-fixture.js';
import { startOrphan } from './orphan-container.js';
import {
  flushPrefix,
  openTestAdapters,
  queuedNotices,
  removeInstanceContainers,
  uniqueInstance,
  uniquePrefix,
} from './services.js';

/**
 * Real Redis and Docker for cleanup tests, with two clocks: `provisionClock` decides when leases
 * start (so a test can make one already due), `clock` is what the cleanup believes is now.
 */
export function makeLifecycleFixture(docker: Docker) {
  const prefix = uniquePrefix();
  const instanceId = uniqueInstance();
  const adapters = openTestAdapters(prefix);
  const { redis, keys, store, outbox, finalLogs, runtime } = adapters;
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
      disk?: DiskLimit;
    } = {},
  ) =>
    createLifecycleService(
      {
        ...TEST_SETTINGS,
        cleanup: {
          ...TEST_SETTINGS.cleanup,
          visibilityTimeoutMs: overrides.visibilityTimeoutMs ?? MINUTE_MS,
        },
      },
      {
        store,
        runtime: overrides.runtime ?? runtime,
        finalLogs,
        clock,
        logger: overrides.logger ?? silentLogger,
        instanceId,
        retry: overrides.retry ?? { attempts: 3, baseDelayMs: 10 },
        disk: overrides.disk,
      },
    );

  /** A running lease whose expiry is `expiresInMs` from now (negative: already due). */
  const provision = async (expiresInMs: number, minutes = 60) => {
    provisionClock.set(Date.now() + expiresInMs - minutes * MINUTE_MS);
    return leases.provision(leases.actor('local:alice'), { imageType: 'busybox', minutes, notify: alice });
  };

  /** A running container with our labels and no lease record, as Redis losing data leaves one. */
  const orphan = (
    leaseId: string,
    expiresAt: number,
    options: { instanceId?: string; hardCapAt?: number } = {},
  ): Promise<string> =>
    startOrphan(
      runtime,
      {
        leaseId,
        createdAt: Date.now() - 2 * MINUTE_MS,
        expiresAt,
        hardCapAt: options.hardCapAt ?? Date.now() + 100 * MINUTE_MS,
      },
      options.instanceId ?? instanceId,
    );

  const notices = () => queuedNotices(adapters);

  const containers = () =>
    docker.listContainers({ all: true, filters: { label: [`io.containerlease.instance=${instanceId}`] } });

  const close = async () => {
    await removeInstanceContainers(docker, instanceId);
    await flushPrefix(redis, prefix);
    await adapters.close();
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
    orphan,
    notices,
    containers,
    close,
  };
}
