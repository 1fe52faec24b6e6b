import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { DockerRuntime } from '../../src/core/adapters/docker/docker-runtime.js';
import { MINUTE_MS } from '../../src/core/domain/lease.js';
import { RuntimeUnavailableError } from '../../src/core/errors.js';
import { RecordingLogger } from '../doubles/recording-logger.js';
import { containerEndings } from '../support/docker-events.js';
import { eventually } from '../support/eventually.js';
import { makeLifecycleFixture } from '../support/lifecycle-fixture.js';
import { describeWith, testDocker } from '../support/services.js';

describeWith({ redis: true, docker: true })('LifecycleService.runCleanup on real Redis and Docker', () => {
  const docker = testDocker();
  let f: ReturnType<typeof makeLifecycleFixture>;

  beforeEach(() => {
    f = makeLifecycleFixture(docker);
  });
  afterEach(() => f.close());

  it('GIVEN a due and a running lease THEN only the due one is removed, with its notice and final logs', async () => {
    const due = await f.provision(-MINUTE_MS);
    const running = await f.provision(60 * MINUTE_MS);
    await sleep(1_200); // the busybox container prints a line a second: there is something to capture
    const summary = await f.lifecycle().runCleanup();
    expect(summary).toMatchObject({ removed: 1, failed: 0 });
    expect((await f.containers()).map((c) => c.Id)).toEqual([running.containerId]);
    expect(await f.store.get(due.id)).toBeNull();
    expect((await f.store.get(running.id))?.status).toBe('active');
    expect((await f.notices()).map((n) => [n.kind, n.leaseId])).toEqual([['expired', due.id]]);
    expect((await f.finalLogs.load(due.id))?.[0]?.text).toBe('line 1');
  });

  it("GIVEN the app's clock 30 minutes behind Redis's THEN a lease due by Redis is removed and its owner still told it expired", async () => {
    const lease = await f.provision(-MINUTE_MS);
    f.clock.set(Date.now() - 30 * MINUTE_MS);
    expect(await f.lifecycle().runCleanup()).toMatchObject({ removed: 1, failed: 0 });
    expect((await f.notices()).map((n) => [n.kind, n.leaseId])).toEqual([['expired', lease.id]]);
  });

  it("GIVEN an owner's stop that died before removing THEN the job finishes it with no expiry notice, even with the app's clock past the expiry", async () => {
    const lease = await f.provision(60 * MINUTE_MS);
    await f.store.beginStop(lease.id, 50, { by: lease.owner });
    await sleep(100);
    f.clock.set(Date.now() + 2 * 60 * MINUTE_MS);
    expect(await f.lifecycle().runCleanup()).toMatchObject({ removed: 1, failed: 0 });
    expect(await f.containers()).toEqual([]);
    expect(await f.notices()).toEqual([]);
  });

  it("GIVEN the app's clock an hour ahead of Redis's THEN runs up to the expiry remove nothing, and Docker ends the container only after it", async () => {
    const since = Date.now();
    const lease = await f.provision(6_000);
    f.clock.set(Date.now() + 60 * MINUTE_MS);
    const runs: Array<{ endedAt: number; removed: number }> = [];
    await eventually(
      async () => {
        const { removed } = await f.lifecycle().runCleanup();
        runs.push({ endedAt: await f.store.serverTime(), removed });
        return removed === 1;
      },
      30_000,
      'the run that removes it',
    );
    const beforeExpiry = runs.filter((run) => run.endedAt < lease.expiresAt);
    expect(beforeExpiry.length).toBeGreaterThan(0);
    expect(beforeExpiry.map((run) => run.removed)).toEqual(beforeExpiry.map(() => 0));
    const endedAt = (await containerEndings(docker, f.instanceId, since)).get(lease.containerId);
    expect(endedAt).toBeGreaterThanOrEqual(lease.expiresAt);
    expect(await f.containers()).toEqual([]);
  });

  it('GIVEN a container deleted behind our back THEN the lease is closed and the owner told', async () => {
    const lease = await f.provision(60 * MINUTE_MS);
    await docker.getContainer(lease.containerId).remove({ force: true });
    const summary = await f.lifecycle().runCleanup(Date.now() + 5_000);
    expect(summary.reconciled.leasesClosed).toBe(1);
    expect(await f.store.get(lease.id)).toBeNull();
    expect((await f.notices()).map((n) => [n.kind, n.leaseId])).toEqual([['vanished', lease.id]]);
  });

  it('GIVEN orphans THEN one past its labelled expiry is removed and told, one before it is re-adopted', async () => {
    const past = await f.orphan('pastpast00', Date.now() - MINUTE_MS);
    const future = await f.orphan('future0000', Date.now() + 30 * MINUTE_MS);
    const summary = await f.lifecycle().runCleanup(Date.now() + 5_000);
    expect(summary.reconciled).toMatchObject({ adopted: 1, orphansRemoved: 1 });
    expect((await f.containers()).map((c) => c.Id)).toEqual([future]);
    expect(await f.runtime.inspect(past)).toBeNull();
    expect(await f.store.get('future0000')).toMatchObject({
      status: 'active',
      containerId: future,
      owner: 'local:alice',
    });
    expect((await f.notices()).map((n) => [n.kind, n.leaseId])).toEqual([['expired', 'pastpast00']]);
  });

  it("GIVEN the app's clock an hour ahead of Redis's THEN an orphan whose labelled expiry is ten minutes ahead is re-adopted, not removed early", async () => {
    const soon = await f.orphan('soonsoon00', Date.now() + 10 * MINUTE_MS);
    f.clock.set(Date.now() + 60 * MINUTE_MS);
    const summary = await f.lifecycle().runCleanup(Date.now() + 5_000);
    expect(summary.reconciled).toMatchObject({ adopted: 1, orphansRemoved: 0 });
    expect((await f.runtime.inspect(soon))?.state).toBe('running');
    expect(await f.notices()).toEqual([]);
  });

  it('GIVEN containers created after the pass began THEN reconciliation leaves them alone', async () => {
    const lease = await f.provision(60 * MINUTE_MS);
    await f.redis.del(f.keys.lease(lease.id));
    const summary = await f.lifecycle().runCleanup(Date.now() - 10_000);
    // Other instances' containers past their hard cap on the shared engine may be reaped meanwhile.
    expect(summary.reconciled).toMatchObject({ adopted: 0, orphansRemoved: 0, leasesClosed: 0 });
    expect((await f.containers()).length).toBe(1);
  });

  it('GIVEN a lease extended after its claim THEN the run releases it and the container lives', async () => {
    const lease = await f.provision(-1_000);
    const [claim] = await f.store.claimDue(10, MINUTE_MS);
    await f.leases.extend(f.leases.actor('local:alice'), lease.id, 30);
    expect(await f.lifecycle().clean(claim ?? { id: '', token: '' })).toBe('released');
    expect((await f.containers()).length).toBe(1);
    expect((await f.store.get(lease.id))?.status).toBe('active');
  });

  it('GIVEN two runs racing THEN each lease is removed once and each notice queued once', async () => {
    const ids = await Promise.all([1, 2, 3].map(async () => (await f.provision(-MINUTE_MS)).id));
    const [a, b] = await Promise.all([f.lifecycle().runCleanup(), f.lifecycle().runCleanup()]);
    expect((a?.removed ?? 0) + (b?.removed ?? 0)).toBe(3);
    expect(await f.containers()).toEqual([]);
    expect((await f.notices()).map((n) => n.leaseId).sort()).toEqual([...ids].sort());
  });

  it('GIVEN the engine failing the first two stops THEN the third attempt removes it after two backoffs, logged once with attempts 3', async () => {
    const lease = await f.provision(-MINUTE_MS);
    let failures = 2;
    class FlakyStop extends DockerRuntime {
      override async stop(id: string, timeout: number): Promise<void> {
        if (failures-- > 0) throw new RuntimeUnavailableError('engine hiccup (injected)');
        return super.stop(id, timeout);
      }
    }
    const logger = new RecordingLogger();
    const waits: number[] = [];
    const wait = async (ms: number) => {
      waits.push(ms);
    };
    const retry = { attempts: 3, baseDelayMs: 10, wait, random: () => 0.5 };
    const summary = await f.lifecycle({ runtime: new FlakyStop(docker, 'test'), logger, retry }).runCleanup();
    expect(summary.removed).toBe(1);
    expect(waits).toEqual([12.5, 25]);
    expect(logger.where({ leaseId: lease.id, action: 'cleanup' }).map((line) => line.fields)).toEqual([
      expect.objectContaining({
        containerId: lease.containerId,
        status: 'removed',
        attempts: 3,
        durationMs: expect.any(Number),
      }),
    ]);
  });

  it('GIVEN a run that died after claiming THEN the lease is due again after the visibility timeout', async () => {
    const lease = await f.provision(-MINUTE_MS);
    expect((await f.store.claimDue(10, 1_500)).map((c) => c.id)).toEqual([lease.id]);
    expect((await f.lifecycle().runCleanup()).removed).toBe(0);
    await sleep(1_700);
    expect((await f.lifecycle().runCleanup()).removed).toBe(1);
    expect(await f.containers()).toEqual([]);
  });

  it('GIVEN a lease inside its warning window THEN one warning is queued, and none again on the next run', async () => {
    const lease = await f.provision(5 * MINUTE_MS);
    expect((await f.lifecycle().runCleanup()).warned).toBe(1);
    expect((await f.lifecycle().runCleanup()).warned).toBe(0);
    expect((await f.notices()).map((n) => [n.kind, n.leaseId, n.expiresAt])).toEqual([
      ['warning', lease.id, lease.expiresAt],
    ]);
  });
});
