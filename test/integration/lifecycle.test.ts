import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { DockerRuntime } from '../../src/core/adapters/docker/docker-runtime.js';
import { containerLabels } from '../../src/core/domain/container-labels.js';
import { MINUTE_MS } from '../../src/core/domain/lease.js';
import { RuntimeUnavailableError } from '../../src/core/errors.js';
import type { Logger } from '../../src/core/ports/logger.js';
import { makeLifecycleFixture } from '../support/lifecycle-fixture.js';
import { describeWith, TEST_IMAGE, testDocker } from '../support/services.js';

function recordingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const record = (fields: object) => lines.push(fields as Record<string, unknown>);
  const logger: Logger = { debug: record, info: record, warn: record, error: record };
  return { logger, lines };
}

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

  it('GIVEN a lease that expires in two seconds THEN it survives a run before its expiry and goes in the first run after', async () => {
    const lease = await f.provision(2_000);
    expect((await f.lifecycle().runCleanup()).removed).toBe(0);
    expect((await f.containers()).length).toBe(1);
    while (Date.now() <= lease.expiresAt) await sleep(100);
    expect((await f.lifecycle().runCleanup()).removed).toBe(1);
    const removedAt = await f.store.serverTime();
    expect(removedAt).toBeGreaterThanOrEqual(lease.expiresAt);
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
    const orphan = async (leaseId: string, expiresAt: number) => {
      const labels = containerLabels(
        {
          leaseId,
          owner: 'local:alice',
          imageType: 'busybox',
          notify: { platform: 'local', user: 'alice' },
          createdAt: Date.now() - 2 * MINUTE_MS,
          expiresAt,
          hardCapAt: Date.now() + 100 * MINUTE_MS,
        },
        f.instanceId,
      );
      const id = await f.runtime.create({
        name: `orphan-${leaseId}`,
        image: TEST_IMAGE,
        cmd: ['sleep', 'infinity'],
        labels,
        limits: { memoryBytes: 32 * 1024 ** 2, nanoCpus: 1e8, pidsLimit: 16 },
        capAdd: [],
      });
      await f.runtime.start(id);
      return id;
    };
    const past = await orphan('pastpast00', Date.now() - MINUTE_MS);
    const future = await orphan('future0000', Date.now() + 30 * MINUTE_MS);
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

  it('GIVEN containers created after the pass began THEN reconciliation leaves them alone', async () => {
    const lease = await f.provision(60 * MINUTE_MS);
    await f.redis.del(f.keys.lease(lease.id));
    const summary = await f.lifecycle().runCleanup(Date.now() - 10_000);
    expect(summary.reconciled).toEqual({ adopted: 0, orphansRemoved: 0, leasesClosed: 0 });
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

  it('GIVEN the engine failing the first two stops THEN the third attempt removes it, logged with attempts 3', async () => {
    const lease = await f.provision(-MINUTE_MS);
    let failures = 2;
    class FlakyStop extends DockerRuntime {
      override async stop(id: string, timeout: number): Promise<void> {
        if (failures-- > 0) throw new RuntimeUnavailableError('engine hiccup (injected)');
        return super.stop(id, timeout);
      }
    }
    const { logger, lines } = recordingLogger();
    const summary = await f.lifecycle({ runtime: new FlakyStop(docker, 'test'), logger }).runCleanup();
    expect(summary.removed).toBe(1);
    expect(lines.find((line) => line.leaseId === lease.id && line.action === 'cleanup')).toMatchObject({
      containerId: lease.containerId,
      status: 'removed',
      attempts: 3,
      durationMs: expect.any(Number),
    });
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
