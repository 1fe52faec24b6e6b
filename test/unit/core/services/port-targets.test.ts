import { describe, expect, it } from 'vitest';
import type { ContainerSummary } from '../../../../src/core/ports/container-runtime.js';
import { AccessPolicy } from '../../../../src/core/services/access-policy.js';
import { MAX_CACHED, PortTargets } from '../../../../src/core/services/port-targets.js';
import { FakeRuntime } from '../../../doubles/fake-runtime.js';
import { InMemoryLeaseStore } from '../../../doubles/in-memory-lease-store.js';
import { InMemoryPoolStore } from '../../../doubles/in-memory-pool-store.js';
import { ManualClock } from '../../../doubles/manual-clock.js';
import { makeBotFixture } from '../../../support/bot-fixture.js';
import { leaseDraft } from '../../../support/drafts.js';

const notify = { platform: 'local', user: 'alice' };

function setUp() {
  const fixture = makeBotFixture();
  const { store, runtime, clock, leases } = fixture;
  const targets = new PortTargets({
    store,
    runtime,
    access: new AccessPolicy(['local:admin']),
    now: () => clock.now(),
    addressTtlMs: 5_000,
  });
  const provision = () => leases.provision(leases.actor('local:alice'), { imageType: 'busybox', notify });
  const inspections = () => runtime.calls.filter((call) => call.operation === 'inspect').length;
  return { ...fixture, targets, provision, inspections };
}

describe('PortTargets: the container behind a port link, from the lease and never the URL', () => {
  it('GIVEN a running lease THEN its owner and an admin reach its container’s address on the asked port; anyone else is forbidden', async () => {
    const { targets, provision } = setUp();
    const lease = await provision();
    const open = await targets.resolve('local:alice', lease.id, 8000);
    expect(open).toMatchObject({ kind: 'open', port: 8000, host: expect.stringMatching(/^10\.88\./) });
    expect(await targets.resolve('local:admin', lease.id, 8000)).toEqual(open);
    expect(await targets.resolve('local:bob', lease.id, 8000)).toEqual({ kind: 'forbidden' });
    expect(await targets.resolve('not an owner', lease.id, 8000)).toEqual({ kind: 'forbidden' });
  });

  it('GIVEN repeated requests THEN the address is inspected once per TTL, while the lease is read every time', async () => {
    const { targets, provision, inspections, clock, leases } = setUp();
    const lease = await provision();
    const before = inspections();
    await targets.resolve('local:alice', lease.id, 80);
    await targets.resolve('local:alice', lease.id, 81);
    expect(inspections() - before).toBe(1);
    clock.advance(5_001);
    await targets.resolve('local:alice', lease.id, 80);
    expect(inspections() - before).toBe(2);
    await leases.stop(leases.actor('local:alice'), lease.id);
    expect(await targets.resolve('local:alice', lease.id, 80)).toEqual({ kind: 'ended' });
  });

  it('GIVEN a lease being removed, one still provisioning, and one whose container stopped THEN ended, starting, unreachable', async () => {
    const { targets, provision, store, runtime } = setUp();
    const cleaning = await provision();
    await store.beginStop(cleaning.id, 60_000, { by: 'local:alice' });
    expect(await targets.resolve('local:alice', cleaning.id, 80)).toEqual({ kind: 'ended' });
    await store.create(
      { ...cleaning, id: 'pppppppppp', createdAt: 0, expiresAt: 1, hardCapAt: 2 },
      { maxPerUser: 10, maxActive: 10, maxPerTeam: 0, provisionTimeoutMs: 60_000 },
    );
    expect(await targets.resolve('local:alice', 'pppppppppp', 80)).toEqual({ kind: 'starting' });
    const stopped = await provision();
    await runtime.stop(stopped.containerId);
    expect(await targets.resolve('local:alice', stopped.id, 80)).toEqual({ kind: 'unreachable' });
    expect(await targets.resolve('local:alice', 'zzzzzzzzzz', 80)).toEqual({ kind: 'ended' });
  });

  it.each([
    ['a TTL of 2 s', 2_000, 2_000],
    ['no TTL', undefined, 5_000],
  ])(
    'GIVEN %s THEN an address is reused until the TTL ends, and looked up again at its very end',
    async (_, addressTtlMs, ttlMs) => {
      const { store, runtime, clock, provision, inspections } = setUp();
      const now = () => clock.now();
      const access = new AccessPolicy([]);
      const targets = new PortTargets({
        store,
        runtime,
        access,
        now,
        ...(addressTtlMs ? { addressTtlMs } : {}),
      });
      const lease = await provision();
      const before = inspections();
      await targets.resolve('local:alice', lease.id, 80);
      clock.advance(ttlMs - 1);
      await targets.resolve('local:alice', lease.id, 80);
      expect(inspections() - before).toBe(1);
      clock.advance(1);
      await targets.resolve('local:alice', lease.id, 80);
      expect(inspections() - before).toBe(2);
    },
  );

  it('GIVEN a lease claimed from a warm pool, its container recorded but the lease not yet active THEN starting', async () => {
    const { store, targets, runtime, clock } = setUp();
    const pool = new InMemoryPoolStore(store, clock);
    await pool.add('busybox', { containerId: 'member', claimableUntil: clock.now() + 60_000 });
    const lease = leaseDraft('c1a1m0000d', clock.now());
    await pool.claim(lease, { maxPerUser: 10, maxActive: 10, maxPerTeam: 0, provisionTimeoutMs: 60_000 });
    expect(await store.get(lease.id)).toMatchObject({ status: 'provisioning', containerId: 'member' });
    expect(await targets.resolve('local:alice', lease.id, 80)).toEqual({ kind: 'starting' });
    expect(runtime.calls.filter((call) => call.operation === 'inspect')).toEqual([]);
  });

  it('GIVEN its container gone, or paused while the engine still gives its address THEN unreachable', async () => {
    const { runtime, targets, active } = overEngine();
    runtime.paused.add(await active('pau5ed0000'));
    runtime.vanish(await active('g0ne000000'));
    expect(await targets.resolve('local:alice', 'pau5ed0000', 80)).toEqual({ kind: 'unreachable' });
    expect(await targets.resolve('local:alice', 'g0ne000000', 80)).toEqual({ kind: 'unreachable' });
  });

  it('GIVEN MAX_CACHED addresses cached THEN they are all reused; one more and the cache starts afresh', async () => {
    const { runtime, targets, active } = overEngine();
    const ids = Array.from({ length: MAX_CACHED + 1 }, (_, index) => `lease${index}`);
    for (const id of ids) await active(id);
    const inspections = () => runtime.calls.filter((call) => call.operation === 'inspect').length;
    for (const id of ids.slice(0, MAX_CACHED)) await targets.resolve('local:alice', id, 80);
    await targets.resolve('local:alice', 'lease0', 80);
    expect(inspections()).toBe(MAX_CACHED);
    await targets.resolve('local:alice', `lease${MAX_CACHED}`, 80);
    await targets.resolve('local:alice', 'lease0', 80);
    expect(inspections()).toBe(MAX_CACHED + 2);
  });
});

/** Like Docker, a paused container keeps its address on its network. */
class PausingRuntime extends FakeRuntime {
  readonly paused = new Set<string>();

  override async inspect(id: string): Promise<ContainerSummary | null> {
    const container = await super.inspect(id);
    return container && this.paused.has(id) ? { ...container, state: 'paused' } : container;
  }
}

/** PortTargets over the store and an engine directly: `active` makes a running container and its active lease. */
function overEngine() {
  const clock = new ManualClock(Date.parse('2026-11-29T12:00:00Z'));
  const image = 'local/busybox:latest';
  const runtime = new PausingRuntime({ images: [image], now: () => clock.now() });
  const store = new InMemoryLeaseStore(clock, { warnBeforeMs: 0 });
  const targets = new PortTargets({ store, runtime, access: new AccessPolicy([]), now: () => clock.now() });
  const limits = {
    maxPerUser: Number.MAX_SAFE_INTEGER,
    maxActive: Number.MAX_SAFE_INTEGER,
    maxPerTeam: 0,
    provisionTimeoutMs: 60_000,
  };
  const active = async (id: string) => {
    const spec = {
      name: id,
      image,
      cmd: ['sh'],
      labels: {},
      limits: { memoryBytes: 1, nanoCpus: 1, pidsLimit: 1 },
      capAdd: [],
    };
    const containerId = await runtime.create(spec);
    await runtime.start(containerId);
    await store.create(leaseDraft(id, clock.now()), limits);
    await store.activate(id, containerId, clock.now() + 60_000);
    return containerId;
  };
  return { runtime, store, targets, active };
}
