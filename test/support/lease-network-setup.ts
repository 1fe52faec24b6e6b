import { randomBytes } from 'node:crypto';
import { connectDocker } from '../../src/core/adapters/docker/docker-connection.js';
import { ensureLeaseNetwork, removeLeaseNetwork } from '../../src/core/adapters/docker/lease-network.js';

/**
 * Vitest's global setup: one lease network for this test run, made as the product makes its own
 * and removed at the end, so runs side by side on one engine never share (or remove) each other's.
 * Test processes find its name in TEST_LEASE_NETWORK; without an engine there is none, and the
 * tests that need one are skipped (or, in CI, fail).
 */
export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  const name = `clt-${randomBytes(4).toString('hex')}`;
  const { docker } = connectDocker(process.env.TEST_DOCKER_HOST);
  try {
    await ensureLeaseNetwork(docker, name, { create: true });
  } catch {
    return undefined;
  }
  process.env.TEST_LEASE_NETWORK = name;
  return async () => {
    // A test that failed may have left a container on it: it would keep the network in use.
    const network = docker.getNetwork(name);
    const info = await network.inspect().catch(() => ({ Containers: {} }));
    for (const id of Object.keys(info.Containers ?? {}))
      await network.disconnect({ Container: id, Force: true }).catch(() => {});
    await removeLeaseNetwork(docker, name);
  };
}
