import { afterAll, beforeAll, expect, it } from 'vitest';
import { LEASE_NETWORK_LABEL, removeLeaseNetwork } from '../../src/core/adapters/docker/lease-network.js';
import { DEFAULT_LEASE_NETWORK } from '../../src/core/config/variables.js';
import { startTestApp } from '../support/app-process.js';
import { describeWith, testDocker } from '../support/services.js';

const TOKEN = 'net-token-0123456789abcdef';

/** The engine's networks of exactly this name (its name filter also matches parts of names). */
async function networksNamed(name: string) {
  const found = await testDocker().listNetworks({ filters: { name: [name] } });
  return found.filter((network) => network.Name === name);
}

/**
 * The product's own lease network, as an operator who sets no CONTAINER_NETWORK gets it. Other
 * tests use a network per run; this one uses the shared name, so it never removes a network it did
 * not make, and removes the one it made only when nothing is attached to it any more.
 */
describeWith({ redis: true, docker: true })(
  `CONTAINER_NETWORK unset: the product makes ${DEFAULT_LEASE_NETWORK} itself`,
  () => {
    const docker = testDocker();
    let existedBefore: boolean;
    let runs: Array<ReturnType<typeof startTestApp>>;

    beforeAll(async () => {
      existedBefore = (await networksNamed(DEFAULT_LEASE_NETWORK)).length > 0;
      // Empty counts as unset. Two processes at once, as two instances starting together would.
      const env = { CONTAINER_NETWORK: '', API_TOKENS: `net=${TOKEN}` };
      runs = [startTestApp([], env), startTestApp([], env)];
      await Promise.all(runs.map((run) => run.url()));
    });

    afterAll(async () => {
      for (const run of runs ?? []) run.app.child.kill('SIGTERM');
      await Promise.all((runs ?? []).map((run) => run.app.exited));
      await Promise.all((runs ?? []).map((run) => run.clean()));
      if (existedBefore) return;
      const info = await docker
        .getNetwork(DEFAULT_LEASE_NETWORK)
        .inspect()
        .catch(() => undefined);
      if (info && Object.keys(info.Containers ?? {}).length === 0)
        await removeLeaseNetwork(docker, DEFAULT_LEASE_NETWORK).catch(() => {});
    });

    it('GIVEN two processes starting at once THEN one network: a bridge of that name, ICC off, labelled as ours', async () => {
      const found = await networksNamed(DEFAULT_LEASE_NETWORK);
      expect(found).toHaveLength(1);
      const info = await docker.getNetwork(found[0]?.Id ?? '').inspect();
      expect(info.Driver).toBe('bridge');
      expect(info.Labels).toMatchObject({ [LEASE_NETWORK_LABEL]: 'true' });
      expect(info.Options).toMatchObject({
        'com.docker.network.bridge.enable_icc': 'false',
        'com.docker.network.bridge.name': DEFAULT_LEASE_NETWORK,
      });
    });

    it('GIVEN a lease provisioned there THEN its container is on that network and no other', async () => {
      const run = runs[0];
      if (!run) throw new Error('no product running');
      const reply = await fetch(`${await run.url()}/api/provision`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ imageType: 'busybox', durationMinutes: 5 }),
      });
      expect(reply.status).toBe(201);
      const { containerId } = (await reply.json()) as { containerId: string };
      const container = await docker.getContainer(containerId).inspect();
      expect(container.HostConfig.NetworkMode).toBe(DEFAULT_LEASE_NETWORK);
      expect(Object.keys(container.NetworkSettings.Networks)).toEqual([DEFAULT_LEASE_NETWORK]);
    });
  },
);
