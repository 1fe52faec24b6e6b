import { describe, expect, it } from 'vitest';
import { createLifecycleService } from '../../../../src/composition/services.js';
import { MINUTE_MS } from '../../../../src/core/domain/lease.js';
import { RuntimeUnavailableError } from '../../../../src/core/errors.js';
import type { LayerUsage } from '../../../../src/core/ports/container-runtime.js';
import type { Claim } from '../../../../src/core/ports/lease-store.js';
import { silentLogger } from '../../../../src/core/ports/logger.js';
import type { DiskLimit } from '../../../../src/core/services/disk-watch.js';
import { LifecycleService } from '../../../../src/core/services/lifecycle-service.js';
import { FakeRuntime } from '../../../doubles/fake-runtime.js';
import { InMemoryFinalLogs } from '../../../doubles/in-memory-final-logs.js';
import { InMemoryLeaseStore } from '../../../doubles/in-memory-lease-store.js';
import { ManualClock } from '../../../doubles/manual-clock.js';
import { RecordingLogger } from '../../../doubles/recording-logger.js';
import {
  alice,
  makeLeaseService,
  TEST_CATALOG,
  TEST_SETTINGS,
} from '../../../support/lease-service-fixture.js';

const START = Date.parse('2026-11-29T12:00:00Z');

/** The in-memory store, counting the claims a run makes. */
class ClaimCountingStore extends InMemoryLeaseStore {
  claims = 0;

  override async claimDue(limit: number, visibilityMs: number): Promise<Claim[]> {
    this.claims += 1;
    return super.claimDue(limit, visibilityMs);
  }
}
const IMAGE = TEST_CATALOG.get('busybox')?.image ?? '';

describe('LifecycleService with in-memory doubles', () => {
  it('GIVEN more due leases than one claim batch (100) THEN one run removes them all in two claims and tells each owner once', async () => {
    const clock = new ManualClock(START);
    const store = new ClaimCountingStore(clock, { warnBeforeMs: 10 * MINUTE_MS });
    const runtime = new FakeRuntime({
      images: [TEST_CATALOG.get('busybox')?.image ?? ''],
      now: () => clock.now(),
    });
    const leases = makeLeaseService({
      store,
      runtime,
      clock,
      instanceId: 'unit',
      policy: { maxPerUser: 150, maxActive: 150 },
    });
    for (let i = 0; i < 101; i += 1) {
      await leases.provision(leases.actor('local:alice'), {
        imageType: 'busybox',
        minutes: 1,
        notify: alice,
      });
    }
    clock.advance(2 * MINUTE_MS);
    const lifecycle = createLifecycleService(TEST_SETTINGS, {
      store,
      runtime,
      finalLogs: new InMemoryFinalLogs(),
      clock,
      logger: silentLogger,
      instanceId: 'unit',
    });

    expect(await lifecycle.runCleanup()).toMatchObject({ removed: 101, failed: 0, skipped: 0, released: 0 });
    // A run keeps claiming only while a claim comes back full: each claim is a round trip to Redis.
    expect(store.claims).toBe(2);
    expect(runtime.running()).toEqual([]);
    expect(await store.listAll()).toEqual([]);
    const expired = store.notices
      .filter((notice) => notice.kind === 'expired')
      .map((notice) => notice.leaseId);
    expect(new Set(expired).size).toBe(101);
    expect(expired).toHaveLength(101);
  });
});

/** One cleanup service over doubles, with retries that wait no real time and metrics recorded. */
function lifecycleOverDoubles(
  options: { concurrency?: number; disk?: DiskLimit; onCleaned?: (outcome: string) => void } = {},
) {
  const clock = new ManualClock(START);
  const store = new InMemoryLeaseStore(clock, { warnBeforeMs: 10 * MINUTE_MS });
  const runtime = new FakeRuntime({ images: [IMAGE], now: () => clock.now() });
  const logger = new RecordingLogger();
  const finalLogs = new InMemoryFinalLogs();
  const cleaned: Array<[number, string]> = [];
  const waits: number[] = [];
  const leases = makeLeaseService({ store, runtime, clock, instanceId: 'unit', policy: { maxPerUser: 20 } });
  const lifecycle = new LifecycleService({
    store,
    runtime,
    finalLogs,
    clock,
    logger,
    metrics: {
      provisioned() {},
      cleaned: (seconds, outcome) => {
        cleaned.push([seconds, outcome]);
        options.onCleaned?.(outcome);
      },
    },
    instanceId: 'unit',
    visibilityTimeoutMs: MINUTE_MS,
    concurrency: options.concurrency ?? 4,
    stopTimeoutSeconds: 1,
    retry: { attempts: 3, baseDelayMs: 100, random: () => 0, wait: async (ms) => waits.push(ms) },
    disk: options.disk,
  });
  const provision = (minutes: number) =>
    leases.provision(leases.actor('local:alice'), { imageType: 'busybox', minutes, notify: alice });
  return { clock, store, runtime, logger, finalLogs, cleaned, waits, leases, lifecycle, provision };
}

const NOTHING_RECONCILED = { adopted: 0, orphansRemoved: 0, leasesClosed: 0, pastHardCapRemoved: 0 };

describe('LifecycleService.runCleanup over doubles', () => {
  it('GIVEN a due and a running lease THEN only the due one is removed, its owner told, its last lines kept, and one line logged', async () => {
    const f = lifecycleOverDoubles();
    const due = await f.provision(5);
    const running = await f.provision(60);
    const last = { stream: 'stdout', ts: '2026-11-29T12:04:59.000000000Z', text: 'last words' } as const;
    f.runtime.containers.get(due.containerId)?.lines.push(last);
    f.clock.advance(30 * MINUTE_MS);

    expect(await f.lifecycle.runCleanup()).toEqual({
      warned: 0,
      removed: 1,
      released: 0,
      skipped: 0,
      failed: 0,
      overDisk: 0,
      reconciled: NOTHING_RECONCILED,
    });
    expect(f.runtime.running().map((container) => container.id)).toEqual([running.containerId]);
    expect(await f.store.get(due.id)).toBeNull();
    expect(f.store.notices).toEqual([expect.objectContaining({ kind: 'expired', leaseId: due.id })]);
    expect(await f.finalLogs.load(due.id)).toEqual([last]);
    expect(f.logger.where({ leaseId: due.id })).toEqual([
      {
        level: 'info',
        fields: {
          leaseId: due.id,
          containerId: due.containerId,
          action: 'cleanup',
          status: 'removed',
          attempts: 1,
          durationMs: expect.any(Number),
          error: undefined,
        },
        message: 'lease removed',
      },
    ]);
    expect(f.cleaned).toEqual([[expect.any(Number), 'removed']]);
    expect(f.logger.where({ action: 'cleanup-run' })).toEqual([
      expect.objectContaining({
        level: 'info',
        message: 'cleanup run finished',
        fields: expect.objectContaining({ removed: 1 }),
      }),
    ]);
    expect(f.logger.errors).toEqual([]);
  });

  it('GIVEN a slow engine THEN the log line and the metric both say how long the removal took', async () => {
    const f = lifecycleOverDoubles();
    const lease = await f.provision(5);
    f.clock.advance(10 * MINUTE_MS);
    f.runtime.delayMs = 40;

    const started = performance.now();
    await f.lifecycle.runCleanup();
    const elapsed = performance.now() - started;

    const [line] = f.logger.where({ leaseId: lease.id });
    const durationMs = line?.fields.durationMs as number;
    // list, stop and remove each wait 40 ms: the removal took at least that.
    expect(durationMs).toBeGreaterThanOrEqual(120);
    expect(durationMs).toBeLessThanOrEqual(Math.ceil(elapsed));
    expect(f.cleaned).toEqual([[durationMs / 1000, 'removed']]);
  });

  it('GIVEN a lease inside its warning window THEN the run counts the one warning it queued', async () => {
    const f = lifecycleOverDoubles();
    await f.provision(15);
    f.clock.advance(6 * MINUTE_MS);

    expect(await f.lifecycle.runCleanup()).toMatchObject({ warned: 1, removed: 0 });
    expect(f.store.notices.map((notice) => notice.kind)).toEqual(['warning']);
  });

  it('GIVEN the engine failing every stop THEN the lease fails after three tries with growing waits, logged as an error, and is removed by a later run', async () => {
    const f = lifecycleOverDoubles();
    const lease = await f.provision(5);
    f.clock.advance(10 * MINUTE_MS);
    f.runtime.failNext('stop', new Error('stop refused (injected)'), 3);

    expect(await f.lifecycle.runCleanup()).toMatchObject({ removed: 0, failed: 1 });
    expect(f.waits).toEqual([100, 200]);
    expect(f.logger.where({ leaseId: lease.id })).toEqual([
      {
        level: 'error',
        fields: expect.objectContaining({ status: 'failed', attempts: 3, error: 'stop refused (injected)' }),
        message: 'lease cleanup failed; it is retried after the visibility timeout',
      },
    ]);
    expect(f.cleaned).toEqual([[expect.any(Number), 'failed']]);
    expect(f.runtime.running().map((container) => container.id)).toEqual([lease.containerId]);

    f.clock.advance(MINUTE_MS);
    expect(await f.lifecycle.runCleanup()).toMatchObject({ removed: 1, failed: 0 });
    expect(f.runtime.running()).toEqual([]);
    expect(f.store.notices).toEqual([expect.objectContaining({ kind: 'expired', leaseId: lease.id })]);
  });

  it('GIVEN the engine unreachable THEN the run stops at the first lease, gives the rest back at once, says so once, and neither watches disks nor reconciles', async () => {
    let measured = 0;
    const layerUsage = async () => {
      measured += 1;
      return [];
    };
    const f = lifecycleOverDoubles({ concurrency: 1, disk: { disks: { layerUsage }, limitBytes: 1 } });
    for (let i = 0; i < 3; i += 1) await f.provision(5);
    const gone = await f.provision(60);
    f.runtime.vanish(gone.containerId);
    f.clock.advance(10 * MINUTE_MS);
    const unreachable = new RuntimeUnavailableError('engine unreachable (injected)', {
      details: { engine: 'unreachable' },
    });
    f.runtime.failNext('list', unreachable, 3);

    expect(await f.lifecycle.runCleanup()).toEqual({
      warned: 0,
      removed: 0,
      released: 0,
      skipped: 2,
      failed: 1,
      overDisk: 0,
      reconciled: NOTHING_RECONCILED,
    });
    expect(f.runtime.calls.filter((call) => call.operation === 'list')).toHaveLength(3);
    expect(measured).toBe(0);
    expect(await f.store.get(gone.id)).toMatchObject({ status: 'active' });
    expect(f.logger.where({ action: 'cleanup-run' }).filter((line) => line.level === 'error')).toEqual([
      {
        level: 'error',
        fields: { action: 'cleanup-run', removed: 0, released: 0, skipped: 2, failed: 1 },
        message: 'cleanup run cut short: the Docker engine is unreachable or hung; the next run tries again',
      },
    ]);

    f.clock.advance(MINUTE_MS);
    expect(await f.lifecycle.runCleanup()).toMatchObject({
      removed: 3,
      reconciled: { ...NOTHING_RECONCILED, leasesClosed: 1 },
    });
    expect(f.runtime.running()).toEqual([]);
  });

  it('GIVEN an engine and a disk check that fail with no error at all THEN the run still finishes, logging "undefined"', async () => {
    const f = lifecycleOverDoubles({
      disk: { disks: { layerUsage: () => Promise.reject(undefined) }, limitBytes: 1 },
    });
    const lease = await f.provision(5);
    f.clock.advance(10 * MINUTE_MS);
    f.runtime.stop = () => Promise.reject(undefined);

    expect(await f.lifecycle.runCleanup()).toMatchObject({ failed: 1, overDisk: 0 });
    expect(f.logger.where({ leaseId: lease.id })).toEqual([
      expect.objectContaining({ level: 'error', fields: expect.objectContaining({ error: 'undefined' }) }),
    ]);
    expect(f.logger.where({ action: 'disk-limit' })).toEqual([
      expect.objectContaining({ level: 'error', fields: { action: 'disk-limit', error: 'undefined' } }),
    ]);
  });

  it('GIVEN a failure that is not the engine being out THEN the run goes on with the other leases', async () => {
    const f = lifecycleOverDoubles({ concurrency: 1 });
    for (let i = 0; i < 3; i += 1) await f.provision(5);
    f.clock.advance(10 * MINUTE_MS);
    f.runtime.failNext('list', new Error('label filter refused (injected)'), 3);

    expect(await f.lifecycle.runCleanup()).toMatchObject({ removed: 2, failed: 1, skipped: 0 });
    expect(f.logger.errors.filter((line) => line.startsWith('cleanup run cut short'))).toEqual([]);
  });

  it('GIVEN the process shutting down while a lease is being removed THEN that one is finished, the other claims are given back untouched, and nothing is reconciled', async () => {
    const shutdown = new AbortController();
    const f = lifecycleOverDoubles({ concurrency: 1, onCleaned: () => shutdown.abort() });
    for (let i = 0; i < 3; i += 1) await f.provision(5);
    const gone = await f.provision(60);
    f.runtime.vanish(gone.containerId);
    f.clock.advance(10 * MINUTE_MS);

    expect(await f.lifecycle.runCleanup(f.clock.now(), shutdown.signal)).toEqual({
      warned: 0,
      removed: 1,
      released: 0,
      skipped: 2,
      failed: 0,
      overDisk: 0,
      reconciled: NOTHING_RECONCILED,
    });
    expect(f.runtime.running()).toHaveLength(2);
    expect(await f.store.get(gone.id)).toMatchObject({ status: 'active' });
    expect(f.logger.errors).toEqual([]);

    expect(await f.lifecycle.runCleanup()).toMatchObject({
      removed: 2,
      skipped: 0,
      reconciled: { ...NOTHING_RECONCILED, leasesClosed: 1 },
    });
  });

  it('GIVEN a shutdown before the run began THEN it claims nothing and touches no container', async () => {
    const f = lifecycleOverDoubles();
    await f.provision(5);
    f.clock.advance(10 * MINUTE_MS);
    const shutdown = new AbortController();
    shutdown.abort();

    expect(await f.lifecycle.runCleanup(f.clock.now(), shutdown.signal)).toMatchObject({
      removed: 0,
      skipped: 0,
    });
    expect(f.runtime.running()).toHaveLength(1);
    expect(f.runtime.calls.filter((call) => call.operation === 'list')).toEqual([]);
    expect(await f.lifecycle.runCleanup()).toMatchObject({ removed: 1 });
  });

  it('GIVEN an index entry whose record is gone THEN its labelled container is removed and the entry dropped, with nobody to tell', async () => {
    const f = lifecycleOverDoubles();
    const lease = await f.provision(5);
    const other = await f.provision(60);
    f.store.rows.delete(lease.id);
    f.clock.advance(10 * MINUTE_MS);

    expect(await f.lifecycle.runCleanup()).toMatchObject({ removed: 1, failed: 0 });
    expect([...f.runtime.containers.keys()]).toEqual([other.containerId]);
    expect(f.runtime.calls.filter((call) => call.operation === 'stop')).toEqual([
      { operation: 'stop', id: lease.containerId },
    ]);
    expect(f.store.expiry.has(lease.id)).toBe(false);
    expect(f.store.notices).toEqual([]);
    expect(f.logger.where({ leaseId: lease.id })).toEqual([
      expect.objectContaining({
        message: 'lease removed',
        fields: expect.objectContaining({ containerId: '' }),
      }),
    ]);
  });

  it('GIVEN a lease over the disk limit THEN the run stops it with a disk notice; a failing disk check is logged and the run goes on', async () => {
    let usage: () => Promise<LayerUsage[]> = async () => [];
    const f = lifecycleOverDoubles({ disk: { disks: { layerUsage: () => usage() }, limitBytes: 1000 } });
    const big = await f.provision(60);
    const small = await f.provision(60);
    usage = async () =>
      [big, small].map((lease, i) => ({
        id: lease.containerId,
        labels: { 'io.containerlease.lease': lease.id },
        writtenBytes: i === 0 ? 1001 : 1000,
      }));

    expect(await f.lifecycle.runCleanup()).toMatchObject({ overDisk: 1, removed: 0 });
    expect(f.runtime.running().map((container) => container.id)).toEqual([small.containerId]);
    expect(f.store.notices).toEqual([expect.objectContaining({ kind: 'disk', leaseId: big.id })]);

    usage = async () => {
      throw new Error('df failed (injected)');
    };
    const orphanLease = await f.provision(60);
    f.store.rows.delete(orphanLease.id);
    f.store.expiry.delete(orphanLease.id);
    f.clock.advance(2_000);
    expect(await f.lifecycle.runCleanup()).toMatchObject({ overDisk: 0, reconciled: { adopted: 1 } });
    expect(f.logger.where({ action: 'disk-limit', error: 'df failed (injected)' })).toEqual([
      {
        level: 'error',
        fields: { action: 'disk-limit', error: 'df failed (injected)' },
        message: 'disk limit check failed; the next run tries again',
      },
    ]);
  });

  it('GIVEN a claim whose lease was extended meanwhile, and one another run took over THEN the first is released and the second skipped, both left running', async () => {
    const f = lifecycleOverDoubles();
    const extended = await f.provision(5);
    const taken = await f.provision(5);
    f.clock.advance(6 * MINUTE_MS);
    const claims = await f.store.claimDue(10, MINUTE_MS);
    await f.leases.extend(f.leases.actor('local:alice'), extended.id, 30);
    f.clock.advance(MINUTE_MS);
    await f.store.claimDue(10, MINUTE_MS);
    const [first, second] = [extended.id, taken.id].map((id) => claims.find((claim) => claim.id === id));

    expect(await f.lifecycle.clean(first as Claim)).toBe('released');
    expect(await f.lifecycle.clean(second as Claim)).toBe('skipped');
    expect(f.runtime.running()).toHaveLength(2);
    expect(f.logger.lines.map((line) => [line.message, line.fields.containerId])).toEqual([
      ['lease released', ''],
      ['lease skipped', ''],
    ]);
    expect(f.cleaned.map(([, outcome]) => outcome)).toEqual(['released', 'skipped']);
  });

  it('GIVEN more due leases than fifty batches of a hundred THEN one run claims five thousand and leaves the rest to the next', async () => {
    const f = lifecycleOverDoubles({ concurrency: 50 });
    const ids = Array.from({ length: 5_001 }, (_, i) => `due${String(i).padStart(7, '0')}`);
    for (const id of ids) {
      await f.store.create(
        {
          id,
          owner: `local:user${id}`,
          notify: alice,
          team: 'local',
          imageType: 'busybox',
          image: IMAGE,
          createdAt: START,
          expiresAt: START + MINUTE_MS,
          hardCapAt: START + 60 * MINUTE_MS,
        },
        { maxPerUser: 1, maxActive: 10_000, maxPerTeam: 0, provisionTimeoutMs: MINUTE_MS },
      );
    }
    f.clock.advance(2 * MINUTE_MS);

    expect(await f.lifecycle.runCleanup()).toMatchObject({ removed: 5_000 });
    expect(await f.store.count()).toBe(1);
    expect(await f.lifecycle.runCleanup()).toMatchObject({ removed: 1 });
  });
});
