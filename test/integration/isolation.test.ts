import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Adapters, openAdapters } from '../../src/composition/adapters.js';
import { DockerRuntime } from '../../src/core/adapters/docker/docker-runtime.js';
import {
  BLKIO_WEIGHT,
  type LeaseIsolation,
  NO_NETWORK,
  NOFILE_LIMIT,
} from '../../src/core/adapters/docker/lease-isolation.js';
import {
  LEASE_NETWORK_LABEL,
  type LeaseNetwork,
  removeLeaseNetwork,
} from '../../src/core/adapters/docker/lease-network.js';
import { ImageCatalog } from '../../src/core/config/image-catalog.js';
import { systemClock } from '../../src/core/ports/clock.js';
import { addressOn, answersFrom, execIn, statusFrom } from '../support/container-probe.js';
import { alice, makeLeaseService } from '../support/lease-service-fixture.js';
import {
  DOCKER_HOST,
  describeWith,
  flushPrefix,
  REDIS_URL,
  removeInstanceContainers,
  TEST_IMAGE,
  testDocker,
  uniqueInstance,
  uniquePrefix,
} from '../support/services.js';
import { startWebFixture } from '../support/web-fixture.js';

const run = describeWith({ redis: true, docker: true });

/** A lease that serves `hello` over HTTP on port 8080 (busybox httpd). */
const WEB_PORT = 8080;
const CATALOG = new ImageCatalog([
  {
    name: 'web',
    image: TEST_IMAGE,
    cmd: ['sh', '-c', `mkdir -p /www && echo hello > /www/index.html && httpd -f -p ${WEB_PORT} -h /www`],
    description: 'busybox httpd',
    maxMinutes: undefined,
    capAdd: [],
  },
]);

/** The status the host gets from `http://address:port/path`, or undefined when no answer came. */
function hostStatus(address: string, port: number, path = '/'): Promise<number | undefined> {
  return new Promise((resolve) => {
    const request = get({ host: address, port, path, timeout: 3_000 }, (response) => {
      response.resume();
      resolve(response.statusCode);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(undefined));
  });
}

/** Whether the host gets a 200 from `http://address:port/path`. */
async function hostReaches(address: string, port: number, path = '/'): Promise<boolean> {
  return (await hostStatus(address, port, path)) === 200;
}

/**
 * Whether this kernel weighs block I/O, as the engine judges it: cgroup v1 with a weight file
 * (CFQ or BFQ), or cgroup v2's io controller. Elsewhere the engine accepts BlkioWeight, warns
 * "Weight discarded" and records 0. (The engine runs on this host: the tests use its local socket.)
 */
function kernelWeighsBlockIo(): boolean {
  const v1 = '/sys/fs/cgroup/blkio';
  if (existsSync(`${v1}/blkio.weight`) || existsSync(`${v1}/blkio.bfq.weight`)) return true;
  try {
    return readFileSync('/sys/fs/cgroup/cgroup.controllers', 'utf8').split(/\s+/).includes('io');
  } catch {
    return false;
  }
}

/** iptables, as root, is what the README's firewall rules need; without it that test is skipped. */
function iptablesWorks(): boolean {
  try {
    execFileSync('iptables', ['-S', 'INPUT'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

run('lease isolation on a real engine (ICC off, iptables on)', () => {
  const docker = testDocker();
  // Its own network, so runs side by side never share one; short enough to be its bridge's name.
  const networkName = `clt-iso-${randomBytes(3).toString('hex')}`;
  const isolation: LeaseIsolation = { ...NO_NETWORK, network: networkName };
  const prefix = uniquePrefix();
  const instanceId = uniqueInstance();
  let adapters: Adapters;
  let network: LeaseNetwork;
  let gateway: string;
  let first: { id: string; address: string };
  let second: { id: string; address: string };

  beforeAll(async () => {
    // Two processes starting at once each make sure the network exists.
    const [made] = await Promise.all(
      [1, 2].map(() =>
        new DockerRuntime(testDocker(), 'test', {}, isolation).prepareNetwork({ create: true }),
      ),
    );
    network = made as LeaseNetwork;
    gateway = network.gateways[0] ?? '';
    adapters = openAdapters({
      redisUrl: REDIS_URL,
      redisPrefix: prefix,
      dockerHost: DOCKER_HOST,
      warnBeforeMs: 0,
      isolation,
    });
    const leases = makeLeaseService({
      store: adapters.store,
      runtime: adapters.runtime,
      clock: systemClock,
      instanceId,
      catalog: CATALOG,
    });
    const provision = async () => {
      const lease = await leases.provision(leases.actor('local:alice'), { imageType: 'web', notify: alice });
      return { id: lease.containerId, address: await addressOn(docker, lease.containerId, networkName) };
    };
    [first, second] = await Promise.all([provision(), provision()]);
  });

  afterAll(async () => {
    await removeInstanceContainers(docker, instanceId);
    await flushPrefix(adapters.redis, prefix);
    await adapters.close();
    await removeLeaseNetwork(docker, networkName);
  });

  it('makes the network once when two processes start together: a bridge with ICC off, labelled as ours', async () => {
    const found = (await docker.listNetworks({ filters: { name: [networkName] } })).filter(
      (candidate) => candidate.Name === networkName,
    );
    expect(found).toHaveLength(1);
    expect(found[0]?.Driver).toBe('bridge');
    expect(found[0]?.Labels?.[LEASE_NETWORK_LABEL]).toBe('true');
    expect(found[0]?.Options?.['com.docker.network.bridge.enable_icc']).toBe('false');
    expect(network.bridge).toBe(networkName);
    expect(gateway).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  });

  it('docker inspect: every lease is on that network alone (never the default bridge), with its ulimits and block-I/O weight', async () => {
    for (const container of [first, second]) {
      const info = await docker.getContainer(container.id).inspect();
      expect(info.HostConfig.NetworkMode).toBe(networkName);
      expect(Object.keys(info.NetworkSettings.Networks)).toEqual([networkName]);
      expect(info.HostConfig.Ulimits).toEqual([NOFILE_LIMIT]);
      expect(info.HostConfig.BlkioWeight).toBe(kernelWeighsBlockIo() ? BLKIO_WEIGHT : 0);
    }
  });

  it('a lease cannot reach another lease, while each reaches itself and the host reaches both', async () => {
    // The probe works: each container answers itself on its network address.
    expect(await answersFrom(docker, first.id, first.address, WEB_PORT)).toBe(true);
    expect(await answersFrom(docker, second.id, second.address, WEB_PORT)).toBe(true);
    expect(await answersFrom(docker, first.id, second.address, WEB_PORT)).toBe(false);
    expect(await answersFrom(docker, second.id, first.address, WEB_PORT)).toBe(false);
    expect(await hostReaches(first.address, WEB_PORT)).toBe(true);
    expect(await hostReaches(second.address, WEB_PORT)).toBe(true);
  });

  it("a lease cannot reach the host's Redis, which listens on the host's loopback only", async () => {
    const redisPort = Number(new URL(REDIS_URL).port || 6379);
    const ping = `printf 'PING\\r\\n' | nc -w 3 ${gateway} ${redisPort}`;
    const { output } = await execIn(docker, first.id, ['sh', '-c', ping]);
    expect(output).not.toContain('PONG');
  });

  it("the product's web server closes what arrives at the lease network's gateway; without that a lease reaches /metrics", async () => {
    const guarded = await startWebFixture({ host: '0.0.0.0', refuseConnectionsTo: network.gateways });
    const open = await startWebFixture({ host: '0.0.0.0' });
    try {
      expect(await answersFrom(docker, first.id, gateway, guarded.web.port, '/metrics')).toBe(false);
      expect(await hostReaches('127.0.0.1', guarded.web.port, '/metrics')).toBe(true);
      // The threat it guards against: an unguarded server answers the lease on the gateway.
      expect(await answersFrom(docker, first.id, gateway, open.web.port, '/metrics')).toBe(true);
    } finally {
      await Promise.all([guarded.close(), open.close()]);
    }
  });

  it('the port proxy, the other server of ours, closes what arrives at the gateway too; without that a lease gets its answers', async () => {
    const guarded = await startWebFixture({ host: '0.0.0.0', refuseConnectionsTo: network.gateways });
    const open = await startWebFixture({ host: '0.0.0.0' });
    try {
      expect(await statusFrom(docker, first.id, gateway, guarded.ports.port, '/zzzzzzzzzz/8000/')).toBe(
        undefined,
      );
      expect(await hostStatus('127.0.0.1', guarded.ports.port, '/zzzzzzzzzz/8000/')).toBe(401);
      // The threat it guards against: an unguarded proxy answers the lease on the gateway.
      expect(await statusFrom(docker, first.id, gateway, open.ports.port, '/zzzzzzzzzz/8000/')).toBe(401);
    } finally {
      await Promise.all([guarded.close(), open.close()]);
    }
  });

  it.skipIf(!iptablesWorks())(
    "a host service on the gateway answers leases until the README's INPUT rule, which leaves the host reaching leases",
    async () => {
      const server = createServer((_, response) => response.end('host service'));
      await new Promise<void>((resolve) => server.listen(0, gateway, resolve));
      const port = (server.address() as AddressInfo).port;
      const rule = ['INPUT', '-i', networkName, '-m', 'conntrack', '--ctstate', 'NEW', '-j', 'REJECT'];
      try {
        expect(await answersFrom(docker, first.id, gateway, port)).toBe(true);
        execFileSync('iptables', ['-I', ...rule]);
        expect(await answersFrom(docker, first.id, gateway, port)).toBe(false);
        expect(await hostReaches(first.address, WEB_PORT)).toBe(true);
      } finally {
        execFileSync('iptables', ['-D', ...rule], { stdio: 'ignore' });
        server.close();
      }
    },
  );
});
