import { describe, expect, it } from 'vitest';
import { LeaseSecondsTally } from '../../../../src/core/services/lease-seconds-tally.js';
import { InMemoryAuditTrail } from '../../../doubles/in-memory-audit-trail.js';
import { ManualClock } from '../../../doubles/manual-clock.js';

const record = (trail: InMemoryAuditTrail, action: 'stop' | 'extend', seconds: number, team = 'local') =>
  trail.record({
    actor: 'local:alice',
    action,
    leaseId: 'lease00001',
    owner: 'local:alice',
    team,
    image: 'busybox',
    params: { seconds },
    outcome: 'removed',
  });

describe('LeaseSecondsTally: the ends recorded since the last look, each once', () => {
  it('GIVEN ends before the start, between takes and in other actions THEN each end after the start is handed over once', async () => {
    const clock = new ManualClock(1_000_000);
    const trail = new InMemoryAuditTrail(clock);
    await record(trail, 'stop', 99);
    clock.advance(1_000);
    const tally = new LeaseSecondsTally(trail, clock.now());
    await record(trail, 'stop', 60, 'slack:T1');
    await record(trail, 'extend', 30);
    const [first, again] = await Promise.all([tally.take(), tally.take()]);
    expect(first).toEqual([{ image: 'busybox', team: 'slack:T1', seconds: 60 }]);
    expect(again).toEqual([]);
    await record(trail, 'stop', 5);
    expect(await tally.take()).toEqual([{ image: 'busybox', team: 'local', seconds: 5 }]);
  });

  it('GIVEN a trail that fails to read THEN the next take reads the same ends again', async () => {
    const clock = new ManualClock(1_000_000);
    const trail = new InMemoryAuditTrail(clock);
    let failing = true;
    const flaky = {
      query: (query: Parameters<InMemoryAuditTrail['query']>[0]) =>
        failing ? Promise.reject(new Error('redis down')) : trail.query(query),
      record: trail.record.bind(trail),
    };
    const tally = new LeaseSecondsTally(flaky, clock.now());
    await record(trail, 'stop', 7);
    await expect(tally.take()).rejects.toThrow('redis down');
    failing = false;
    expect(await tally.take()).toEqual([{ image: 'busybox', team: 'local', seconds: 7 }]);
  });
});
