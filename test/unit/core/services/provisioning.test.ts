import { beforeEach, describe, expect, it } from 'vitest';
import type { LeasePolicy } from '../../../../src/core/config/config.js';
import { MINUTE_MS } from '../../../../src/core/domain/lease.js';
import { leaseFromName } from '../../../../src/core/domain/pooled-lease-name.js';
import { RuntimeUnavailableError } from '../../../../src/core/errors.js';
import type { LeaseService } from '../../../../src/core/services/lease-service.js';
import type { WarmPool } from '../../../../src/core/services/warm-pool.js';
import { FakeRuntime } from '../../../doubles/fake-runtime.js';
import { InMemoryLeaseStore } from '../../../doubles/in-memory-lease-store.js';
import { InMemoryPoolStore } from '../../../doubles/in-memory-pool-store.js';
import { ManualClock } from '../../../doubles/manual-clock.js';
import { RecordingLogger } from '../../../doubles/recording-logger.js';
import { alice, makeLeaseService, TEST_CATALOG } from '../../../support/lease-service-fixture.js';
import { codeOf, failureOf } from '../../../support/outcomes.js';

const START = Date.parse('2026-11-29T12:00:00Z');
const IMAGE = TEST_CATALOG.get('busybox')?.image ?? '';
const fromT1 = (user: string) => ({ platform: 'slack', user, team: 'T1' });

describe('Provisioning over in-memory doubles: refusals, rollback and the warm pool', () => {
  let clock: ManualClock;
  let store: InMemoryLeaseStore;
  let runtime: FakeRuntime;
  let logger: RecordingLogger;
  let service: LeaseService;
  const actor = (user: string) => service.actor(`local:${user}`);
  const serve = (options: { policy?: Partial<LeasePolicy>; pool?: WarmPool } = {}) => {
    service = makeLeaseService({ store, runtime, clock, logger, instanceId: 'unit', ...options });
  };

  beforeEach(() => {
    clock = new ManualClock(START);
    store = new InMemoryLeaseStore(clock, { warnBeforeMs: 10 * MINUTE_MS });
    runtime = new FakeRuntime({ images: [IMAGE], now: () => clock.now() });
    logger = new RecordingLogger();
    serve();
  });

  it('GIVEN an owner at LEASE_MAX_PER_USER THEN quota_exceeded names how many they hold, and nothing is made', async () => {
    for (let i = 0; i < 3; i += 1)
      await service.provision(actor('alice'), { imageType: 'busybox', notify: alice });
    const error = await failureOf(service.provision(actor('alice'), { imageType: 'busybox', notify: alice }));
    expect(error).toMatchObject({
      code: 'quota_exceeded',
      message: 'You already hold 3 leases; stop one before provisioning another.',
    });
    expect([store.rows.size, runtime.containers.size]).toEqual([3, 3]);
  });

  it('GIVEN a team at its TEAM_QUOTAS limit THEN another member is refused with team_quota_exceeded naming the limit; another team is not', async () => {
    serve({ policy: { teamQuotas: new Map([['slack:T1', 1]]) } });
    await service.provision(service.actor('slack:T1:U1'), { imageType: 'busybox', notify: fromT1('U1') });
    const error = await failureOf(
      service.provision(service.actor('slack:T1:U2'), { imageType: 'busybox', notify: fromT1('U2') }),
    );
    expect(error).toMatchObject({
      code: 'team_quota_exceeded',
      message:
        'Your team (slack:T1) already holds 1 leases, its limit (TEAM_QUOTAS); try again when one of them ends.',
    });
    expect(store.rows.size).toBe(1);
    await service.provision(actor('alice'), { imageType: 'busybox', notify: alice });
    expect(store.rows.size).toBe(2);
  });

  it('GIVEN a provision THEN the audit trail records the minutes asked for, and the container is named after its lease', async () => {
    const lease = await service.provision(actor('alice'), {
      imageType: 'busybox',
      minutes: 45,
      notify: alice,
    });
    expect(store.audit.entries.map((entry) => [entry.action, entry.outcome, entry.params])).toEqual([
      ['provision', 'provisioning', { minutes: 45 }],
      ['provision', 'active', { containerId: lease.containerId, expiresAt: START + 45 * MINUTE_MS }],
    ]);
    expect(runtime.containers.get(lease.containerId)?.name).toBe(`lease-${lease.id}`);
  });

  it('GIVEN a slow pull THEN the lease runs its minutes from when its container starts, within its hard cap', async () => {
    const pulling = { ensureImage: runtime.ensureImage.bind(runtime) };
    runtime.ensureImage = async (image, onProgress) => {
      clock.advance(5 * MINUTE_MS);
      await pulling.ensureImage(image, onProgress);
    };
    const lease = await service.provision(actor('alice'), {
      imageType: 'busybox',
      minutes: 30,
      notify: alice,
    });
    expect([lease.createdAt, lease.expiresAt, lease.hardCapAt]).toEqual([
      START,
      START + 35 * MINUTE_MS,
      START + 1440 * MINUTE_MS,
    ]);
  });

  it('GIVEN the lease is removed while its container starts (the cleanup job at the provision timeout) THEN conflict, and its container is removed', async () => {
    runtime.start = async (id) => {
      for (const lease of store.rows.values())
        await store.delete(lease.id, { action: 'expire', actor: 'system' });
      await FakeRuntime.prototype.start.call(runtime, id);
    };
    const error = await failureOf(service.provision(actor('alice'), { imageType: 'busybox', notify: alice }));
    expect(error.code).toBe('conflict');
    expect(error.message).toMatch(/^Lease [0-9a-z]+ was stopped while it was being provisioned\.$/);
    expect([store.rows.size, runtime.containers.size]).toEqual([0, 0]);
  });

  it('GIVEN the pull fails while the engine is down THEN no container was asked for, so none is looked for, the lease is gone as a failed provision, and the operator is warned', async () => {
    runtime.failNext('ensureImage', new RuntimeUnavailableError('engine down'));
    runtime.failNext('list', new RuntimeUnavailableError('engine still down'));
    expect(await codeOf(service.provision(actor('alice'), { imageType: 'busybox', notify: alice }))).toBe(
      'runtime_unavailable',
    );
    expect(store.rows.size).toBe(0);
    expect(runtime.calls.map((call) => call.operation)).toEqual(['ensureImage']);
    expect(store.audit.entries.at(-1)).toMatchObject({ action: 'provision-failed', actor: 'local:alice' });
    expect(logger.lines).toEqual([
      {
        level: 'warn',
        fields: {
          leaseId: [...store.audit.entries][0]?.leaseId,
          containerId: undefined,
          action: 'provision',
          error: 'engine down',
          status: 'undone',
        },
        message: 'provision failed',
      },
    ]);
  });

  it('GIVEN a failure whose undo fails too THEN the operator is told at error level what failed, both ways, and that the cleanup job finishes it', async () => {
    runtime.failNext('start', new RuntimeUnavailableError('engine down'));
    runtime.failNext('list', new RuntimeUnavailableError('engine still down'));
    await codeOf(service.provision(actor('alice'), { imageType: 'busybox', notify: alice }));
    const [row] = store.rows.values();
    expect(logger.lines.filter((line) => line.level === 'error')).toEqual([
      {
        level: 'error',
        fields: {
          leaseId: row?.id,
          containerId: [...runtime.containers.keys()][0],
          action: 'provision',
          error: 'engine down',
          status: 'undo_failed',
          undoError: 'engine still down',
        },
        message: 'provision failed and could not be undone now; the cleanup job will finish it',
      },
    ]);
    expect(logger.warnings).toEqual([]);
  });

  describe('with a warm pool of busybox', () => {
    let pool: InMemoryPoolStore;
    let told: Array<{ imageType: string; hit: boolean; statuses: string[] }>;

    /** A member as the pool keeper makes one: created, started, claimable for an hour. */
    const member = async () => {
      const id = await runtime.create({
        name: 'pool-busybox-1',
        image: IMAGE,
        labels: {},
        limits: { memoryBytes: 1, nanoCpus: 1, pidsLimit: 1 },
        capAdd: [],
      });
      await runtime.start(id);
      await pool.add('busybox', { containerId: id, claimableUntil: START + 60 * MINUTE_MS });
      return id;
    };

    beforeEach(() => {
      pool = new InMemoryPoolStore(store, clock);
      told = [];
      serve({
        pool: {
          store: pool,
          keeps: (imageType) => imageType === 'busybox',
          claimed: (imageType, hit) =>
            told.push({ imageType, hit, statuses: [...store.rows.values()].map((row) => row.status) }),
        },
      });
    });

    it('GIVEN a ready member THEN the lease takes it, renamed to carry the lease, its minutes counted from the claim; the pool hears of the hit once the lease is active', async () => {
      const id = await member();
      runtime.calls.length = 0;
      clock.advance(MINUTE_MS);
      const lease = await service.provision(actor('alice'), {
        imageType: 'busybox',
        minutes: 20,
        notify: alice,
      });
      expect(lease).toMatchObject({ containerId: id, status: 'active', expiresAt: START + 21 * MINUTE_MS });
      expect(runtime.calls.map((call) => call.operation)).toEqual(['rename']);
      expect(leaseFromName(runtime.containers.get(id)?.name ?? '', 'busybox')).toMatchObject({
        leaseId: lease.id,
        owner: 'local:alice',
        createdAt: START + MINUTE_MS,
        expiresAt: START + 21 * MINUTE_MS,
        hardCapAt: START + (1 + 1440) * MINUTE_MS,
      });
      expect(told).toEqual([{ imageType: 'busybox', hit: true, statuses: ['active'] }]);
    });

    it('GIVEN an empty pool THEN one lease is made on demand, and the pool hears of the miss once it is active', async () => {
      const lease = await service.provision(actor('alice'), { imageType: 'busybox', notify: alice });
      expect(runtime.containers.get(lease.containerId)?.name).toBe(`lease-${lease.id}`);
      expect(store.rows.size).toBe(1);
      expect(told).toEqual([{ imageType: 'busybox', hit: false, statuses: ['active'] }]);
    });

    it('GIVEN the claimed member cannot be renamed THEN it is removed with the lease, and the pool still hears of the claim', async () => {
      const id = await member();
      runtime.failNext('rename', new RuntimeUnavailableError('engine down'));
      expect(await codeOf(service.provision(actor('alice'), { imageType: 'busybox', notify: alice }))).toBe(
        'runtime_unavailable',
      );
      expect(runtime.containers.has(id)).toBe(false);
      expect(store.rows.size).toBe(0);
      expect(told).toEqual([{ imageType: 'busybox', hit: true, statuses: [] }]);
    });

    it('GIVEN an image type the pool does not keep THEN the pool is neither claimed from nor told', async () => {
      await member();
      await codeOf(service.provision(actor('alice'), { imageType: 'missing', notify: alice }));
      expect(await pool.members('busybox')).toHaveLength(1);
      expect(told).toEqual([]);
    });
  });
});
