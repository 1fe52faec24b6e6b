import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Adapters, openAdapters } from '../../src/composition/adapters.js';
import { NO_NETWORK } from '../../src/core/adapters/docker/lease-isolation.js';
import { systemClock } from '../../src/core/ports/clock.js';
import { execIn } from '../support/container-probe.js';
import { eventually } from '../support/eventually.js';
import { alice, makeLeaseService } from '../support/lease-service-fixture.js';
import {
  DOCKER_HOST,
  describeWith,
  flushPrefix,
  REDIS_URL,
  removeInstanceContainers,
  TEST_LEASE_NETWORK,
  testDocker,
  uniqueInstance,
  uniquePrefix,
} from '../support/services.js';
import { startWebFixture } from '../support/web-fixture.js';

const run = describeWith({ redis: true, docker: true });
const docker = testDocker();
const runtimes = Object.keys(
  ((await docker.info().catch(() => ({}))) as { Runtimes?: object }).Runtimes ?? {},
);

/** Adapters whose leases run under `runtime` on `network`, on their own prefix. */
function adaptersWith(
  runtime: string | undefined,
  network = TEST_LEASE_NETWORK,
  prefix = uniquePrefix(),
): Adapters {
  return openAdapters({
    redisUrl: REDIS_URL,
    redisPrefix: prefix,
    dockerHost: DOCKER_HOST,
    warnBeforeMs: 0,
    isolation: { ...NO_NETWORK, network, runtime },
  });
}

run('CONTAINER_RUNTIME and /readyz', () => {
  it('GIVEN a runtime the engine does not know THEN /readyz answers 503 naming it and what the engine knows', async () => {
    const adapters = adaptersWith('no-such-runtime');
    const web = await startWebFixture({ readiness: adapters.readiness });
    try {
      const response = await fetch(`${web.web.url}/readyz`);
      expect(response.status).toBe(503);
      const body = (await response.json()) as { checks: { docker: { ok: boolean; error: string } } };
      expect(body.checks.docker.ok).toBe(false);
      expect(body.checks.docker.error).toContain(
        'CONTAINER_RUNTIME is no-such-runtime, which the Docker engine at',
      );
      expect(body.checks.docker.error).toContain(`does not know (it knows ${runtimes.join(', ')})`);
    } finally {
      await web.close();
      await adapters.close();
    }
  });

  it('GIVEN a lease network that was removed THEN the Docker check fails saying so; the engine default and a present network are ready', async () => {
    const gone = adaptersWith(undefined, `clt-gone-${randomBytes(3).toString('hex')}`);
    const fine = adaptersWith(undefined);
    try {
      await expect(gone.readiness.docker()).rejects.toThrow(
        /The lease network clt-gone-\w+ \(CONTAINER_NETWORK\) no longer exists/,
      );
      await expect(fine.readiness.docker()).resolves.toBeUndefined();
    } finally {
      await Promise.all([gone.close(), fine.close()]);
    }
  });
});

// scripts/setup.sh registers runsc where the machine allows; elsewhere there is nothing to run it on.
(runtimes.includes('runsc') ? run : describe.skip)(
  'a lease under runsc (gVisor), where the engine has it registered',
  () => {
    const instanceId = uniqueInstance();
    const prefix = uniquePrefix();
    let adapters: Adapters;
    let containerId: string;

    beforeAll(async () => {
      adapters = adaptersWith('runsc', TEST_LEASE_NETWORK, prefix);
      const leases = makeLeaseService({
        store: adapters.store,
        runtime: adapters.runtime,
        clock: systemClock,
        instanceId,
        // gVisor's own threads count against the pids limit: the test's 64 ends the sandbox, the default 256 does not.
        container: { pidsLimit: 256 },
      });
      const lease = await leases.provision(leases.actor('local:alice'), {
        imageType: 'busybox',
        notify: alice,
      });
      containerId = lease.containerId;
    });

    afterAll(async () => {
      await removeInstanceContainers(docker, instanceId);
      await flushPrefix(adapters.redis, prefix);
      await adapters.close();
    });

    it('provisions: docker inspect shows runsc and the lease network, and the kernel it sees is gVisor', async () => {
      const info = await docker.getContainer(containerId).inspect();
      expect(info.HostConfig.Runtime).toBe('runsc');
      expect(info.State.Running).toBe(true);
      expect(TEST_LEASE_NETWORK).toMatch(/^clt-/);
      expect(Object.keys(info.NetworkSettings.Networks)).toEqual([TEST_LEASE_NETWORK]);
      const { output } = await execIn(docker, containerId, ['dmesg']);
      expect(output).toContain('gVisor');
    });

    it('streams its logs', async () => {
      const controller = new AbortController();
      const seen: string[] = [];
      const reading = (async () => {
        for await (const line of adapters.runtime.logs(containerId, {
          follow: true,
          signal: controller.signal,
        })) {
          seen.push(line.text);
          if (seen.length >= 2) break;
        }
      })();
      await eventually(() => seen.length >= 2, 30_000, 'two log lines from the runsc container');
      controller.abort();
      await reading;
      expect(seen.slice(0, 2)).toEqual(['line 1', 'line 2']);
    });
  },
);
