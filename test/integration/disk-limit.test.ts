import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/core/domain/audit.js';
import { MINUTE_MS } from '../../src/core/domain/lease.js';
import { execIn } from '../support/container-probe.js';
import { makeLifecycleFixture } from '../support/lifecycle-fixture.js';
import { describeWith, testDocker } from '../support/services.js';

const MIB = 1024 ** 2;

describeWith({ redis: true, docker: true })(
  'the disk limit, watched by the cleanup job on a real engine',
  () => {
    const docker = testDocker();
    let f: ReturnType<typeof makeLifecycleFixture>;

    beforeEach(() => {
      f = makeLifecycleFixture(docker);
    });
    afterEach(() => f.close());

    /** Writes `mib` MiB into the container's own layer. */
    const fill = (containerId: string, mib: number) =>
      execIn(docker, containerId, ['dd', 'if=/dev/zero', 'of=/fill', 'bs=1M', `count=${mib}`]);

    it('GIVEN one lease that wrote past the limit and one under it THEN the job stops the first through the retire path and tells its owner why', async () => {
      const over = await f.provision(60 * MINUTE_MS);
      const under = await f.provision(60 * MINUTE_MS);
      await Promise.all([fill(over.containerId, 6), fill(under.containerId, 1)]);
      const disk = { disks: f.runtime, limitBytes: 4 * MIB };
      const usage = await f.runtime.layerUsage([`io.containerlease.instance=${f.instanceId}`]);
      // This engine cannot cap a layer (overlay2 without xfs quotas): the job measures instead.
      expect(
        usage?.find((container) => container.id === over.containerId)?.writtenBytes,
      ).toBeGreaterThanOrEqual(6 * MIB);

      const summary = await f.lifecycle({ disk }).runCleanup();

      expect(summary.overDisk).toBe(1);
      expect((await f.containers()).map((c) => c.Id)).toEqual([under.containerId]);
      expect(await f.store.get(over.id)).toBeNull();
      expect((await f.store.get(under.id))?.status).toBe('active');
      expect((await f.notices()).map((n) => [n.kind, n.leaseId])).toEqual([['disk', over.id]]);
      // The one retire path: its final logs are kept like any ended lease's.
      expect(await f.finalLogs.load(over.id)).not.toBeNull();
    });

    it('GIVEN a lease stopped for its disk whose removal did not finish THEN the job finishes it later and the owner is still told why', async () => {
      const lease = await f.provision(60 * MINUTE_MS);
      await f.store.beginStop(lease.id, 1, { by: SYSTEM_ACTOR, ending: 'disk' });
      await sleep(20); // past the 1 ms visibility timeout, by Redis's clock
      const summary = await f.lifecycle().runCleanup();
      expect(summary).toMatchObject({ removed: 1, overDisk: 0 });
      expect((await f.notices()).map((n) => [n.kind, n.leaseId])).toEqual([['disk', lease.id]]);
    });

    it('GIVEN no lease over the limit THEN the job stops nothing', async () => {
      const lease = await f.provision(60 * MINUTE_MS);
      await fill(lease.containerId, 1);
      const summary = await f.lifecycle({ disk: { disks: f.runtime, limitBytes: 64 * MIB } }).runCleanup();
      expect(summary.overDisk).toBe(0);
      expect((await f.store.get(lease.id))?.status).toBe('active');
      expect(await f.notices()).toEqual([]);
    });
  },
);
