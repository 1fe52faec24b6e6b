import { beforeEach, describe, expect, it } from 'vitest';
import { MINUTE_MS } from '../../../../src/core/domain/lease.js';
import { RuntimeUnavailableError, StoreUnavailableError } from '../../../../src/core/errors.js';
import type { LeaseService } from '../../../../src/core/services/lease-service.js';
import { FakeRuntime } from '../../../doubles/fake-runtime.js';
import { InMemoryFinalLogs } from '../../../doubles/in-memory-final-logs.js';
import { InMemoryLeaseStore } from '../../../doubles/in-memory-lease-store.js';
import { ManualClock } from '../../../doubles/manual-clock.js';
import { RecordingLogger } from '../../../doubles/recording-logger.js';
import { alice, makeLeaseService, TEST_CATALOG } from '../../../support/lease-service-fixture.js';
import { codeOf, failureOf } from '../../../support/outcomes.js';

const START = Date.parse('2026-11-29T12:00:00Z');
const IMAGE = TEST_CATALOG.get('busybox')?.image ?? '';

describe('LeaseService with in-memory doubles', () => {
  let clock: ManualClock;
  let store: InMemoryLeaseStore;
  let runtime: FakeRuntime;
  let service: LeaseService;
  const owner = () => service.actor('local:alice');

  beforeEach(() => {
    clock = new ManualClock(START);
    store = new InMemoryLeaseStore(clock, { warnBeforeMs: 10 * MINUTE_MS });
    runtime = new FakeRuntime({ images: [TEST_CATALOG.get('busybox')?.image ?? ''], now: () => clock.now() });
    service = makeLeaseService({ store, runtime, clock, instanceId: 'unit' });
  });

  it('GIVEN a known image THEN provision starts a labelled container and an active lease with a logs link', async () => {
    const lease = await service.provision(owner(), { imageType: 'busybox', minutes: 30, notify: alice });
    expect(lease).toMatchObject({
      status: 'active',
      owner: 'local:alice',
      expiresAt: START + 30 * MINUTE_MS,
      containerState: 'running',
    });
    expect(lease.hardCapAt).toBe(START + 1440 * MINUTE_MS);
    expect(lease.logsUrl).toMatch(new RegExp(`^http://lease.test/logs/${lease.id}\\?token=v1\\.`));
    const [container] = runtime.running();
    expect(container?.spec.labels).toMatchObject({
      'io.containerlease.lease': lease.id,
      'io.containerlease.owner': 'local:alice',
      'io.containerlease.instance': 'unit',
      'io.containerlease.expires-at': new Date(START + 30 * MINUTE_MS).toISOString(),
      'io.containerlease.hard-cap': new Date(START + 1440 * MINUTE_MS).toISOString(),
    });
  });

  it('GIVEN no minutes THEN the default applies', async () => {
    const lease = await service.provision(owner(), { imageType: 'BusyBox', notify: alice });
    expect(lease.expiresAt).toBe(START + 60 * MINUTE_MS);
  });

  it.each([
    [
      { imageType: 'windows', minutes: 10 },
      'validation',
      'Unknown image "windows". Choose one of: busybox, missing.',
    ],
    [{ imageType: 'busybox', minutes: 0 }, 'validation', 'Minutes must be at least 1 (got 0).'],
    [{ imageType: 'busybox', minutes: 481 }, 'validation', 'At most 480 minutes are allowed here (got 481).'],
    [{ imageType: 'missing', minutes: 31 }, 'validation', 'At most 30 minutes are allowed here (got 31).'],
    [{ imageType: 'busybox', minutes: 1.5 }, 'validation', 'Minutes must be a whole number (got 1.5).'],
  ])('GIVEN %o THEN provision refuses with %s and creates nothing', async (request, code, message) => {
    const error = await failureOf(service.provision(owner(), { ...request, notify: alice }));
    expect(error).toMatchObject({ code, message });
    expect(store.rows.size).toBe(0);
    expect(runtime.calls).toEqual([]);
  });

  it('GIVEN the host at LEASE_MAX_ACTIVE THEN a new owner is refused with the limit named and nothing is created', async () => {
    service = makeLeaseService({ store, runtime, clock, instanceId: 'unit', policy: { maxActive: 2 } });
    for (const user of ['alice', 'bob'])
      await service.provision(service.actor(`local:${user}`), { imageType: 'busybox', notify: alice });
    const created = runtime.calls.filter((call) => call.operation === 'create').length;
    const error = await failureOf(
      service.provision(service.actor('local:carol'), { imageType: 'busybox', notify: alice }),
    );
    expect(error).toMatchObject({
      code: 'quota_exceeded',
      message:
        'This ContainerLease already runs 2 leases, its limit for all users together (LEASE_MAX_ACTIVE); try again when one ends.',
    });
    expect(runtime.calls.filter((call) => call.operation === 'create')).toHaveLength(created);
    expect(store.rows.size).toBe(2);
  });

  it.each(['ensureImage', 'create', 'start'] as const)(
    'GIVEN the engine fails at %s THEN no lease and no container remain',
    async (operation) => {
      runtime.failNext(operation, new RuntimeUnavailableError('engine down'));
      expect(await codeOf(service.provision(owner(), { imageType: 'busybox', notify: alice }))).toBe(
        'runtime_unavailable',
      );
      expect(store.rows.size).toBe(0);
      expect(runtime.containers.size).toBe(0);
    },
  );

  it('GIVEN the engine creates the container but its answer is lost THEN the container is found by its lease label and removed, and no lease remains', async () => {
    runtime.failAfterNext('create', new RuntimeUnavailableError('engine timed out'));
    expect(await codeOf(service.provision(owner(), { imageType: 'busybox', notify: alice }))).toBe(
      'runtime_unavailable',
    );
    expect(runtime.calls.filter((call) => call.operation === 'remove')).toHaveLength(1);
    expect(runtime.containers.size).toBe(0);
    expect(store.rows.size).toBe(0);
  });

  it('GIVEN an image that cannot be pulled THEN image_unavailable and nothing remains', async () => {
    expect(await codeOf(service.provision(owner(), { imageType: 'missing', notify: alice }))).toBe(
      'image_unavailable',
    );
    expect(store.rows.size).toBe(0);
  });

  it('GIVEN a failure whose undo also fails THEN the lease is kept for the cleanup job to finish', async () => {
    runtime.failNext('start', new RuntimeUnavailableError('engine down'));
    runtime.failNext('list', new RuntimeUnavailableError('engine still down'));
    await codeOf(service.provision(owner(), { imageType: 'busybox', notify: alice }));
    const [row] = store.rows.values();
    expect(row?.status).toBe('provisioning');
    expect(store.expiry.get(row?.id ?? '')).toBe(START + 600_000);
  });

  it('GIVEN the quota is reached THEN quota_exceeded', async () => {
    for (let i = 0; i < 3; i += 1) await service.provision(owner(), { imageType: 'busybox', notify: alice });
    expect(await codeOf(service.provision(owner(), { imageType: 'busybox', notify: alice }))).toBe(
      'quota_exceeded',
    );
  });

  it('GIVEN another owner THEN get, stop and extend are forbidden; an admin may', async () => {
    const lease = await service.provision(owner(), { imageType: 'busybox', notify: alice });
    const bob = service.actor('local:bob');
    expect(await codeOf(service.get(bob, lease.id))).toBe('forbidden');
    expect(await codeOf(service.extend(bob, lease.id, 10))).toBe('forbidden');
    expect(await codeOf(service.stop(bob, lease.id))).toBe('forbidden');
    const admin = service.actor('local:admin');
    expect(admin.isAdmin).toBe(true);
    expect((await service.get(admin, lease.id)).id).toBe(lease.id);
  });

  it('GIVEN list all THEN only admins may', async () => {
    await service.provision(owner(), { imageType: 'busybox', notify: alice });
    expect(await codeOf(service.list(owner(), { all: true }))).toBe('forbidden');
    expect(await service.list(service.actor('local:admin'), { all: true })).toHaveLength(1);
    expect(await service.list(service.actor('local:bob'))).toEqual([]);
  });

  it('GIVEN a lease THEN extend moves it, and refuses past the hard cap with how much is left', async () => {
    const lease = await service.provision(owner(), { imageType: 'busybox', minutes: 480, notify: alice });
    expect((await service.extend(owner(), lease.id, 480)).expiresAt).toBe(START + 960 * MINUTE_MS);
    expect((await service.extend(owner(), lease.id, 480)).expiresAt).toBe(START + 1440 * MINUTE_MS);
    const error = await failureOf(service.extend(owner(), lease.id, 1));
    expect(error).toMatchObject({ code: 'limit_exceeded' });
    expect(error.message).toContain('at most 0 more minutes');
  });

  it('GIVEN stop THEN the container and the records are gone, and a second stop is not_found', async () => {
    const lease = await service.provision(owner(), { imageType: 'busybox', notify: alice });
    await service.stop(owner(), lease.id);
    expect(runtime.containers.size).toBe(0);
    expect(store.rows.size).toBe(0);
    expect(await codeOf(service.stop(owner(), lease.id))).toBe('not_found');
  });

  it('GIVEN stop THEN the last lines of the container are kept for its log page', async () => {
    const finalLogs = new InMemoryFinalLogs();
    service = makeLeaseService({ store, runtime, clock, instanceId: 'unit', finalLogs });
    const lease = await service.provision(owner(), { imageType: 'busybox', notify: alice });
    runtime.containers
      .get(lease.containerId)
      ?.lines.push({ stream: 'stdout', ts: '2026-11-29T12:00:01Z', text: 'bye' });
    await service.stop(owner(), lease.id);
    expect(await finalLogs.load(lease.id)).toEqual([
      { stream: 'stdout', ts: '2026-11-29T12:00:01Z', text: 'bye' },
    ]);
  });

  it('GIVEN a lease that ended with final logs WHEN its owner asks for its logs THEN the final logs link; anyone else THEN forbidden', async () => {
    const finalLogs = new InMemoryFinalLogs();
    service = makeLeaseService({ store, runtime, clock, instanceId: 'unit', finalLogs });
    const lease = await service.provision(owner(), { imageType: 'busybox', notify: alice });
    expect(await service.logs(owner(), lease.id)).toEqual({
      id: lease.id,
      imageType: 'busybox',
      logsUrl: lease.logsUrl,
      ended: false,
    });
    runtime.containers.get(lease.containerId)?.lines.push({ stream: 'stdout', ts: '', text: 'bye' });
    await service.stop(owner(), lease.id);
    expect(await service.logs(owner(), lease.id)).toEqual({
      id: lease.id,
      imageType: 'busybox',
      logsUrl: lease.logsUrl,
      ended: true,
    });
    expect(await codeOf(service.logs(service.actor('local:bob'), lease.id))).toBe('forbidden');
    finalLogs.saved.clear();
    expect(await codeOf(service.logs(owner(), lease.id))).toBe('not_found');
  });

  it('GIVEN a container that printed megabytes of cut lines WHEN stopped THEN the last ones within 512 KiB of text are kept, the very last among them', async () => {
    const finalLogs = new InMemoryFinalLogs();
    service = makeLeaseService({ store, runtime, clock, instanceId: 'unit', finalLogs });
    const lease = await service.provision(owner(), { imageType: 'busybox', notify: alice });
    const cut = { stream: 'stdout', ts: '2026-11-29T12:00:01Z', text: 'x'.repeat(4096), cut: true } as const;
    runtime.containers
      .get(lease.containerId)
      ?.lines.push(...Array.from({ length: 3000 }, () => cut), { stream: 'stdout', ts: cut.ts, text: 'end' });
    await service.stop(owner(), lease.id);
    const kept = (await finalLogs.load(lease.id)) ?? [];
    expect(kept.map((line) => line.text.length).reduce((sum, n) => sum + n, 0)).toBeLessThanOrEqual(
      512 * 1024,
    );
    expect(kept).toHaveLength(128);
    expect(kept.at(-1)?.text).toBe('end');
    expect(kept.at(-2)).toEqual(cut);
  });

  it('GIVEN the engine fails during stop THEN the lease stays for the cleanup job, hidden until then', async () => {
    const lease = await service.provision(owner(), { imageType: 'busybox', notify: alice });
    runtime.failNext('stop', new RuntimeUnavailableError('engine down'));
    expect(await codeOf(service.stop(owner(), lease.id))).toBe('runtime_unavailable');
    expect(store.rows.get(lease.id)?.status).toBe('cleaning');
    expect(store.expiry.get(lease.id)).toBe(START + 60_000);
  });

  it('GIVEN a container removed behind our back THEN get reports it gone', async () => {
    const lease = await service.provision(owner(), { imageType: 'busybox', notify: alice });
    runtime.vanish(lease.containerId);
    expect((await service.get(owner(), lease.id)).containerState).toBe('gone');
    expect((await service.list(owner()))[0]?.containerState).toBe('gone');
  });

  it.each(['', 'x', '../../etc', 'ABCDEFGHJK1', 'abc def'])(
    'GIVEN the id "%s" THEN validation, not a crash',
    async (id) => {
      expect(await codeOf(service.get(owner(), id))).toBe('validation');
    },
  );

  it('GIVEN an unknown owner format THEN validation', () => {
    expect(() => service.actor('alice')).toThrow('is not an owner identity');
  });

  /** A lease as the store holds it between its write and its container's start. */
  const provisioning = async (id = '7k2m9x4qpz') => {
    await store.create(
      {
        id,
        owner: 'local:alice',
        notify: alice,
        team: 'local',
        imageType: 'busybox',
        image: IMAGE,
        createdAt: START,
        expiresAt: START + 60 * MINUTE_MS,
        hardCapAt: START + 1440 * MINUTE_MS,
      },
      { maxPerUser: 3, maxActive: 50, maxPerTeam: 0, provisionTimeoutMs: 600_000 },
    );
    return id;
  };

  /** A lease whose stop began and could not finish: cleaning until the cleanup job ends it. */
  const cleaning = async () => {
    const lease = await service.provision(owner(), { imageType: 'busybox', notify: alice });
    runtime.failNext('stop', new RuntimeUnavailableError('engine down'));
    await codeOf(service.stop(owner(), lease.id));
    return lease;
  };

  it('GIVEN provisions that succeed and fail THEN each is measured once, in seconds, with its outcome', async () => {
    const measured: Array<[number, string]> = [];
    const metrics = {
      provisioned: (seconds: number, outcome: string) => measured.push([seconds, outcome]),
      cleaned() {},
    };
    service = makeLeaseService({ store, runtime, clock, instanceId: 'unit', metrics });
    runtime.delayMs = 20;
    const before = performance.now();
    await service.provision(owner(), { imageType: 'busybox', notify: alice });
    await codeOf(service.provision(owner(), { imageType: 'missing', notify: alice }));
    const elapsedSeconds = (performance.now() - before) / 1000;
    expect(measured.map(([, outcome]) => outcome)).toEqual(['ok', 'image_unavailable']);
    for (const [seconds] of measured) {
      expect(seconds).toBeGreaterThanOrEqual(0.015);
      expect(seconds).toBeLessThanOrEqual(elapsedSeconds);
    }
  });

  it('GIVEN the images THEN each offers its longest lease after the global limit', () => {
    expect(service.images().map((image) => [image.name, image.maxLeaseMinutes])).toEqual([
      ['busybox', 480],
      ['missing', 30],
    ]);
  });

  it('GIVEN list all by a non-admin THEN forbidden says only admins may', async () => {
    expect(await failureOf(service.list(owner(), { all: true }))).toMatchObject({
      code: 'forbidden',
      message: 'Only admins can list every lease.',
    });
  });

  it('GIVEN an owner with no leases THEN list answers empty without asking the engine, even while it is down', async () => {
    runtime.failNext('list', new RuntimeUnavailableError('engine down'));
    expect(await service.list(owner())).toEqual([]);
    expect(runtime.calls).toEqual([]);
  });

  it('GIVEN leases running, stopped and still provisioning THEN get and list show each container state', async () => {
    const running = await service.provision(owner(), { imageType: 'busybox', notify: alice });
    const stopped = await service.provision(owner(), { imageType: 'busybox', notify: alice });
    await runtime.stop(stopped.containerId);
    const starting = await provisioning();
    const states = new Map((await service.list(owner())).map((lease) => [lease.id, lease.containerState]));
    expect(Object.fromEntries(states)).toEqual({
      [running.id]: 'running',
      [stopped.id]: 'stopped',
      [starting]: 'pending',
    });
    expect((await service.get(owner(), running.id)).containerState).toBe('running');
    expect((await service.get(owner(), stopped.id)).containerState).toBe('stopped');
    expect((await service.get(owner(), starting)).containerState).toBe('pending');
    expect(runtime.calls.filter((call) => call.operation === 'inspect').map((call) => call.id)).toEqual([
      running.containerId,
      stopped.containerId,
    ]);
  });

  it('GIVEN an unknown lease id THEN not_found points to the list', async () => {
    expect(await failureOf(service.get(owner(), '7k2m9x4qpz'))).toMatchObject({
      code: 'not_found',
      message: 'There is no lease 7k2m9x4qpz; see /lease list.',
    });
  });

  it('GIVEN a running lease THEN a port link for it; still provisioning, being removed or a bad port THEN refused', async () => {
    const lease = await service.provision(owner(), { imageType: 'busybox', notify: alice });
    expect(await service.portLink(owner(), lease.id, 8080)).toMatchObject({
      leaseId: lease.id,
      port: 8080,
      url: expect.stringMatching(/^http:\/\/ports\.test\/.*8080/),
      expiresAt: lease.hardCapAt,
    });
    expect(await failureOf(service.portLink(owner(), lease.id, 70_000))).toMatchObject({
      code: 'validation',
    });
    const starting = await provisioning();
    expect(await failureOf(service.portLink(owner(), starting, 8080))).toMatchObject({
      code: 'conflict',
      message: `Lease ${starting} is still provisioning; its ports open while it runs.`,
    });
    const ending = await cleaning();
    expect(await failureOf(service.portLink(owner(), ending.id, 8080))).toMatchObject({
      code: 'conflict',
      message: `Lease ${ending.id} is being removed; its ports open while it runs.`,
    });
  });

  it('GIVEN a lease still provisioning or being removed THEN extend refuses with conflict saying which', async () => {
    const starting = await provisioning();
    expect(await failureOf(service.extend(owner(), starting, 10))).toMatchObject({
      code: 'conflict',
      message: `Lease ${starting} is still provisioning; it cannot be extended now.`,
    });
    const ending = await cleaning();
    expect(await failureOf(service.extend(owner(), ending.id, 10))).toMatchObject({
      code: 'conflict',
      message: `Lease ${ending.id} is being removed; it cannot be extended now.`,
    });
  });

  it('GIVEN LEASE_MAX_TOTAL_MINUTES near THEN extend refuses one minute past it naming the room left, and takes exactly that room', async () => {
    service = makeLeaseService({
      store,
      runtime,
      clock,
      instanceId: 'unit',
      policy: { maxTotalMinutes: 500 },
    });
    const lease = await service.provision(owner(), { imageType: 'busybox', minutes: 60, notify: alice });
    expect(await failureOf(service.extend(owner(), lease.id, 441))).toMatchObject({
      code: 'limit_exceeded',
      message: `Lease ${lease.id} can be extended by at most 440 more minutes: a lease ends at most 500 minutes after it started.`,
      details: { max: 440 },
    });
    clock.advance(70 * MINUTE_MS);
    expect(await failureOf(service.extend(owner(), lease.id, 431))).toMatchObject({ details: { max: 430 } });
    const admin = service.actor('local:admin');
    expect(await service.extend(admin, lease.id, 430)).toMatchObject({
      expiresAt: START + 500 * MINUTE_MS,
      containerState: 'running',
    });
    expect(store.audit.entries.at(-1)).toMatchObject({
      action: 'extend',
      actor: 'local:admin',
      leaseId: lease.id,
    });
  });

  it('GIVEN a lease already being removed THEN another stop succeeds and leaves it to the cleanup job', async () => {
    const lease = await cleaning();
    await service.stop(owner(), lease.id);
    expect(store.rows.get(lease.id)?.status).toBe('cleaning');
    expect(runtime.containers.has(lease.containerId)).toBe(true);
  });

  it('GIVEN the store fails as a stop begins THEN the stop fails with it and the lease is untouched', async () => {
    const lease = await service.provision(owner(), { imageType: 'busybox', notify: alice });
    store.beginStop = async () => {
      throw new StoreUnavailableError('redis down');
    };
    expect(await codeOf(service.stop(owner(), lease.id))).toBe('store_unavailable');
    expect(store.rows.get(lease.id)?.status).toBe('active');
  });

  it('GIVEN an admin stops a lease with a reason THEN its owner is told who and why', async () => {
    const lease = await service.provision(owner(), { imageType: 'busybox', notify: alice });
    await service.stop(service.actor('local:admin'), lease.id, 'runaway');
    expect(store.notices).toEqual([
      expect.objectContaining({ kind: 'stopped', stoppedBy: 'local:admin', reason: 'runaway' }),
    ]);
  });

  it('GIVEN an admin stops a lease without a reason THEN its owner is told who stopped it, and the log names them', async () => {
    const logger = new RecordingLogger();
    service = makeLeaseService({ store, runtime, clock, instanceId: 'unit', logger });
    const lease = await service.provision(owner(), { imageType: 'busybox', notify: alice });
    await service.stop(service.actor('local:admin'), lease.id);
    expect(store.notices).toEqual([
      expect.objectContaining({ kind: 'stopped', owner: 'local:alice', stoppedBy: 'local:admin' }),
    ]);
    expect(logger.where({ action: 'stop' })).toEqual([
      {
        level: 'info',
        fields: { leaseId: lease.id, containerId: lease.containerId, action: 'stop', by: 'local:admin' },
        message: 'lease stopped',
      },
    ]);
  });

  it('GIVEN the store fails while a lease’s final logs are kept THEN logs fails with the store, not with the ended lease’s link', async () => {
    const finalLogs = new InMemoryFinalLogs();
    service = makeLeaseService({ store, runtime, clock, instanceId: 'unit', finalLogs });
    const lease = await service.provision(owner(), { imageType: 'busybox', notify: alice });
    await finalLogs.save(lease, [{ stream: 'stdout', ts: '', text: 'bye' }]);
    store.get = async () => {
      throw new StoreUnavailableError('redis down');
    };
    expect(await codeOf(service.logs(owner(), lease.id))).toBe('store_unavailable');
  });
});
