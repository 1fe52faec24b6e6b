import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Adapters, openAdapters } from '../../src/composition/adapters.js';
import { NO_NETWORK } from '../../src/core/adapters/docker/lease-isolation.js';
import { SANDBOXED_MIN_PIDS } from '../../src/core/config/config.js';
import { systemClock } from '../../src/core/ports/clock.js';
import { execIn } from '../support/container-probe.js';
import { psIn } from '../support/container-ps.js';
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
import { openTerminal, type TerminalClient } from '../support/terminal-client.js';
import { call } from '../support/web-client.js';
import { API_TOKEN, provisionOverApi, startWebFixture, type WebFixture } from '../support/web-fixture.js';

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
        // gVisor's own threads count against the pids limit: the test's 64 ends the sandbox.
        container: { pidsLimit: SANDBOXED_MIN_PIDS },
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

(runtimes.includes('runsc') ? run : describe.skip)(
  'a terminal and a command in a lease under runsc, over the web server',
  () => {
    let f: WebFixture;
    const open: TerminalClient[] = [];
    beforeAll(async () => {
      f = await startWebFixture({
        isolation: { ...NO_NETWORK, network: TEST_LEASE_NETWORK, runtime: 'runsc' },
        container: { pidsLimit: SANDBOXED_MIN_PIDS },
        // A lease per test, all held by the one API caller.
        policy: { maxPerUser: 5 },
      });
    });
    afterAll(async () => {
      for (const client of open) client.close();
      await f?.close();
    });

    /** A terminal on the lease through a ticket, over the real WebSocket. */
    const terminal = async (leaseId: string): Promise<TerminalClient> => {
      const reply = await call(f.web.url, 'POST', `/api/containers/${leaseId}/terminal`, {
        token: API_TOKEN,
      });
      const upgrade = await openTerminal(f.web.url, (reply.body as { url: string }).url, {
        size: { cols: 100, rows: 30 },
      });
      if (!upgrade.ok) throw new Error(`terminal refused: ${upgrade.status} ${upgrade.body}`);
      open.push(upgrade.client);
      return upgrade.client;
    };
    const shells = async (containerId: string) =>
      (await psIn(containerId)).split('\n').filter((line) => /sh -l|sleep 4242/.test(line));

    it('GIVEN a terminal WHEN a command runs and the shell exits THEN its output, its exit code and close 1000, and no shell is left', async () => {
      const lease = await provisionOverApi(f, 'quiet');
      const info = await testDocker().getContainer(lease.containerId).inspect();
      expect(info.HostConfig.Runtime).toBe('runsc');
      const shell = await terminal(lease.id);
      shell.type('echo $((6*7)); stty size; exit 3\r');
      expect(await shell.closed).toEqual({ code: 1000, reason: 'shell exited' });
      expect(shell.text()).toMatch(/\r\n42\r\n30 100\r\n/);
      expect(shell.controls).toEqual([{ type: 'exit', code: 3 }]);
      expect(await shells(lease.containerId)).toEqual([]);
    });

    it('GIVEN a terminal that started a background job WHEN its socket closes THEN nothing it started is left', async () => {
      const lease = await provisionOverApi(f, 'quiet');
      const shell = await terminal(lease.id);
      shell.type('sleep 4242 & echo started\r');
      await eventually(() => shell.text().includes('\r\nstarted\r\n'), 20_000, 'the job');
      expect(await shells(lease.containerId)).toHaveLength(2);
      shell.close();
      await shell.closed;
      await eventually(
        async () => (await shells(lease.containerId)).length === 0,
        20_000,
        'the shell and its job to go',
      );
    });

    it('GIVEN a terminal WHEN its processes outgrow the pids limit and the sandbox dies (the engine leaves the exec connection open) THEN it is told the container stopped and closed with 4001', async () => {
      const lease = await provisionOverApi(f, 'busybox');
      const shell = await terminal(lease.id);
      shell.type('echo ready\r');
      await eventually(() => shell.text().includes('\r\nready\r\n'), 20_000, 'the shell');
      shell.type('for i in $(seq 40); do sleep 1000 & done\r');
      expect(await shell.closed).toEqual({ code: 4001, reason: 'container stopped' });
      expect(shell.controls).toEqual([{ type: 'ended', reason: 'container stopped' }]);
    });

    it('GIVEN /lease exec’s command (POST …/exec) THEN its output and exit code', async () => {
      const lease = await provisionOverApi(f, 'quiet');
      const reply = await call(f.web.url, 'POST', `/api/containers/${lease.id}/exec`, {
        token: API_TOKEN,
        body: { command: 'echo $((6*7)); exit 2' },
      });
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({ exitCode: 2, output: '42\n', timedOut: false });
    });
  },
);
