import { afterEach, expect, it } from 'vitest';
import { LABELS } from '../../src/core/domain/container-labels.js';
import { MINUTE_MS } from '../../src/core/domain/lease.js';
import { leaseFromName } from '../../src/core/domain/pooled-lease-name.js';
import { systemClock } from '../../src/core/ports/clock.js';
import type { ContainerRuntime } from '../../src/core/ports/container-runtime.js';
import type { PoolMetrics } from '../../src/core/ports/metrics.js';
import { alice } from '../support/lease-service-fixture.js';
import { codeOf } from '../support/outcomes.js';
import { makePoolFixture } from '../support/pool-fixture.js';
import { describeWith, removeInstanceContainers, testDocker } from '../support/services.js';
import { CountingRuntime } from '../support/web-counting-runtime.js';

/** The real engine, noting when a container has started or been renamed, beside what the pool heard. */
class OrderedRuntime extends CountingRuntime {
  constructor(
    real: ContainerRuntime,
    private readonly events: string[],
  ) {
    super(real);
  }
  override async start(id: string): Promise<void> {
    await super.start(id);
    this.events.push('started');
  }
  override async rename(id: string, name: string): Promise<void> {
    await super.rename(id, name);
    this.events.push('renamed');
  }
}

describeWith({ redis: true, docker: true })('the warm pool on real Redis and a real Docker engine', () => {
  const docker = testDocker();
  let fixture: ReturnType<typeof makePoolFixture>;
  const claims: Array<[string, boolean]> = [];
  const metrics: PoolMetrics = {
    poolClaimed: (image, hit) => claims.push([image, hit]),
    poolRefillFailed() {},
  };
  const request = { imageType: 'busybox', minutes: 30, notify: alice };
  const members = async () =>
    docker.listContainers({
      all: true,
      filters: { label: [`${LABELS.instance}=${fixture.instanceId}`, LABELS.pool] },
    });

  afterEach(async () => {
    claims.length = 0;
    await fixture.close();
    await removeInstanceContainers(docker, fixture.instanceId);
  });

  it('GIVEN POOL busybox=2 THEN a pass makes two running members with every limit of a lease, and no lease', async () => {
    fixture = makePoolFixture({ clock: systemClock });
    await fixture.pool.keep();
    const made = await members();
    expect(made).toHaveLength(2);
    for (const member of made) {
      const info = await docker.getContainer(member.Id).inspect();
      expect(info.State.Status).toBe('running');
      expect(info.HostConfig).toMatchObject({
        Memory: 64 * 1024 ** 2,
        NanoCpus: 5e8,
        PidsLimit: 64,
        CapDrop: ['ALL'],
        SecurityOpt: ['no-new-privileges:true'],
        Privileged: false,
      });
      expect(info.Config.Labels).toMatchObject({ [LABELS.pool]: 'busybox', [LABELS.imageType]: 'busybox' });
      expect(info.Config.Labels[LABELS.lease]).toBeUndefined();
      const idleCap = Date.parse(info.Config.Labels[LABELS.hardCap] ?? '');
      expect(idleCap - Date.parse(info.Config.Labels[LABELS.createdAt] ?? '')).toBe(60 * MINUTE_MS);
    }
    expect(await fixture.pool.idleCounts()).toEqual(new Map([['busybox', 2]]));
  });

  it('GIVEN a warm pool THEN a provision takes a member, renamed to carry its lease, its clock started at the claim; the pool refills without it', async () => {
    fixture = makePoolFixture({ clock: systemClock, metrics });
    await fixture.pool.keep();
    const idle = new Set((await members()).map((member) => member.Id));
    const before = Date.now();
    const lease = await fixture.leases.provision(fixture.leases.actor('local:alice'), request);
    expect(idle.has(lease.containerId)).toBe(true);
    expect(lease.status).toBe('active');
    expect(lease.createdAt).toBeGreaterThanOrEqual(before);
    expect(lease.expiresAt - lease.createdAt).toBeLessThan(30 * MINUTE_MS + 1_000);
    expect(lease.expiresAt - lease.createdAt).toBeGreaterThanOrEqual(30 * MINUTE_MS);
    const info = await docker.getContainer(lease.containerId).inspect();
    expect(leaseFromName(info.Name, 'busybox')).toEqual({
      leaseId: lease.id,
      owner: 'local:alice',
      imageType: 'busybox',
      notify: alice,
      createdAt: lease.createdAt,
      expiresAt: lease.expiresAt,
      hardCapAt: lease.hardCapAt,
    });
    expect(claims).toEqual([['busybox', true]]);
    await fixture.pool.stop();
    await fixture.pool.keep();
    const members2 = await fixture.adapters.pool.members('busybox');
    expect(members2).toHaveLength(2);
    expect(members2.map((member) => member.containerId)).not.toContain(lease.containerId);
    await fixture.leases.stop(fixture.leases.actor('local:alice'), lease.id);
    await fixture.pool.keep();
    expect((await members()).map((member) => member.Id)).not.toContain(lease.containerId);
  });

  it('GIVEN an owner at the quota THEN the claim is refused as createLease refuses, and no member is taken', async () => {
    fixture = makePoolFixture({ clock: systemClock, maxPerUser: 1 });
    await fixture.pool.keep();
    await fixture.leases.provision(fixture.leases.actor('local:alice'), request);
    await fixture.pool.stop();
    await fixture.pool.keep();
    expect(await codeOf(fixture.leases.provision(fixture.leases.actor('local:alice'), request))).toBe(
      'quota_exceeded',
    );
    expect(await fixture.adapters.pool.members('busybox')).toHaveLength(2);
  });

  it('GIVEN an empty pool THEN a provision makes its container on demand, counted as a miss', async () => {
    fixture = makePoolFixture({ clock: systemClock, metrics });
    const lease = await fixture.leases.provision(fixture.leases.actor('local:alice'), request);
    const info = await docker.getContainer(lease.containerId).inspect();
    expect(info.Config.Labels[LABELS.lease]).toBe(lease.id);
    expect(info.State.Status).toBe('running');
    expect(claims).toEqual([['busybox', false]]);
  });

  it('GIVEN a claim, hit or miss THEN the pool hears of it (and refills) only once the lease runs, so a refill never competes with the provision', async () => {
    const events: string[] = [];
    fixture = makePoolFixture({
      clock: systemClock,
      wrapRuntime: (real) => new OrderedRuntime(real, events),
      metrics: { poolClaimed: (_image, hit) => events.push(hit ? 'hit' : 'miss'), poolRefillFailed() {} },
    });
    await fixture.leases.provision(fixture.leases.actor('local:alice'), request);
    await fixture.pool.stop();
    expect(events.slice(0, 2)).toEqual(['started', 'miss']);
    events.length = 0;
    await fixture.leases.provision(fixture.leases.actor('local:alice'), request);
    expect(events.slice(0, 2)).toEqual(['renamed', 'hit']);
  });

  it('GIVEN Redis lost the pool THEN the members it no longer knows are removed, never handed out, and new ones made', async () => {
    fixture = makePoolFixture({ clock: systemClock });
    await fixture.pool.keep();
    const lost = (await members()).map((member) => member.Id);
    await fixture.adapters.redis.del(fixture.adapters.keys.pool('busybox'));
    // Past the race guard that spares containers made during the pass.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await fixture.pool.keep();
    const now = (await members()).map((member) => member.Id);
    expect(now).toHaveLength(2);
    for (const id of lost) expect(now).not.toContain(id);
  });
});
