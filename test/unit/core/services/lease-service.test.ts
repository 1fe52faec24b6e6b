import { beforeEach, describe, expect, it } from 'vitest';
import { MINUTE_MS } from '../../../../src/core/domain/lease.js';
import { RuntimeUnavailableError } from '../../../../src/core/errors.js';
import type { LeaseService } from '../../../../src/core/services/lease-service.js';
import { FakeRuntime } from '../../../doubles/fake-runtime.js';
import { InMemoryFinalLogs } from '../../../doubles/in-memory-final-logs.js';
import { InMemoryLeaseStore } from '../../../doubles/in-memory-lease-store.js';
import { ManualClock } from '../../../doubles/manual-clock.js';
import { alice, makeLeaseService, TEST_CATALOG } from '../../../support/lease-service-fixture.js';
import { codeOf, failureOf } from '../../../support/outcomes.js';

const START = Date.parse('2026-11-29T12:00:00Z');

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
});
