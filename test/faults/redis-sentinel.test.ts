import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REPLICA_ACKS } from '../../src/composition/adapters.js';
import type { AppProcess } from '../support/app-process.js';
import { eventually } from '../support/eventually.js';
import {
  expectAllRemoved,
  expectEndedAtExpiryAndToldOnce,
  leftovers,
  makeScenario,
  stopsHaveBegun,
} from './fault-kit.js';
import { SentinelGroup } from './redis-topology.js';

/** How long a lease that a failover interrupted while provisioning waits before the job removes it. */
const PROVISION_TIMEOUT_MS = 15_000;

// A primary, a replica and three Sentinels from Debian's redis-server; the primary is killed with
// -9 while the product works, and the Sentinels promote the replica. Replication is asynchronous,
// so the promoted replica may lack the last writes: the product must still leak nothing, remove
// nothing before its time, and tell each owner once.
describe('fault: the Redis primary fails over to its replica (Sentinel)', () => {
  let group: SentinelGroup;
  let scenario: ReturnType<typeof makeScenario>;
  let apps: AppProcess[] = [];

  beforeEach(async () => {
    group = new SentinelGroup();
    await group.start();
    scenario = makeScenario(
      '',
      { sentinel: { nodes: group.sentinels, name: group.name } },
      PROVISION_TIMEOUT_MS,
    );
  }, 60_000);

  afterEach(async () => {
    await scenario.close(apps);
    apps = [];
    await group.stop();
  });

  it('GIVEN a replica that does not answer THEN an extension waits for it (WAIT) up to its timeout before it is confirmed', async () => {
    const [lease] = await Promise.all([scenario.provision(60_000)]);
    const { awake } = await group.stallReplica(2_000);
    const started = performance.now();
    await scenario.store.extend(lease?.id ?? '', 60_000, scenario.owner);
    // WAIT returns at its timeout when the replica cannot acknowledge; without it, at once.
    expect(performance.now() - started).toBeGreaterThanOrEqual(REPLICA_ACKS.timeoutMs);
    await awake;
    await scenario.leases.stop(scenario.leases.actor(scenario.owner), lease?.id ?? '');
    expect(await leftovers(scenario)).toEqual({ containers: 0, leases: 0 });
  });

  it('GIVEN a failover in the middle of a cleanup run THEN nothing leaks, nothing ends early, every owner is told once', async () => {
    const app = scenario.startApp();
    apps.push(app);
    await app.waitFor(/Dashboard for/);
    const since = Date.now();
    // Stubborn containers take the whole 2-second stop timeout, so the run lasts while Redis fails over.
    const leases = await Promise.all(
      [8_000, 8_000, 8_500, 8_500, 9_000, 9_000].map((inMs) => scenario.provision(inMs, 'stubborn')),
    );
    await stopsHaveBegun(scenario, since);
    const { from, to } = await group.failover();
    expect(to).not.toBe(from);
    await expectAllRemoved(scenario);
    await expectEndedAtExpiryAndToldOnce(scenario, app, leases, since);
  });

  it('GIVEN a failover while leases are being provisioned THEN each either runs to its expiry or is removed, and nothing leaks', async () => {
    const app = scenario.startApp();
    apps.push(app);
    await app.waitFor(/Dashboard for/);
    const since = Date.now();
    const settled = Promise.allSettled(
      [10_000, 10_000, 10_000, 10_000, 10_000, 10_000].map((inMs, i) =>
        sleep(i * 150).then(() => scenario.provision(inMs)),
      ),
    );
    // The primary dies once the first container exists: between its lease's two writes.
    await eventually(async () => (await scenario.containers()).length > 0, 60_000, 'the first container');
    const { from, to } = await group.failover();
    expect(to).not.toBe(from);
    const outcomes = await settled;
    const made = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
    const refused = outcomes.flatMap((outcome) =>
      outcome.status === 'rejected' ? [(outcome.reason as { code?: string }).code] : [],
    );
    // A provision that met the failover is refused as the store being unavailable, nothing else;
    // a run where none met it would prove nothing.
    expect(refused.length, `made ${made.length}, refused ${refused.join(',')}`).toBeGreaterThan(0);
    expect(refused.every((code) => code === 'store_unavailable')).toBe(true);
    await expectAllRemoved(scenario);
    await expectEndedAtExpiryAndToldOnce(scenario, app, made, since);
  });
});
