import { describe, expect, it } from 'vitest';
import { AccessPolicy } from '../../../../src/core/services/access-policy.js';
import { PortTargets } from '../../../../src/core/services/port-targets.js';
import { makeBotFixture } from '../../../support/bot-fixture.js';

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
});
