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

/** The audit record of lease `n`'s end after `seconds`. */
const ending = (seconds: number, n = seconds) => ({
  actor: 'local:alice',
  action: 'stop' as const,
  leaseId: `lease${String(n).padStart(5, '0')}`,
  owner: 'local:alice',
  team: 'local',
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

  it('GIVEN 12,500 ends THEN a take hands over at most 10,000 in pages of 1000, and the next take the rest, each once', async () => {
    const clock = new ManualClock(1_000_000);
    const trail = new InMemoryAuditTrail(clock);
    const limits: number[] = [];
    const counting = {
      query: (query: Parameters<InMemoryAuditTrail['query']>[0]) => {
        limits.push(query.limit);
        return trail.query(query);
      },
      record: trail.record.bind(trail),
    };
    const tally = new LeaseSecondsTally(counting, clock.now());
    for (let i = 1; i <= 12_500; i += 1) trail.append(ending(i));
    const first = await tally.take();
    expect([first.length, first[0]?.seconds, first.at(-1)?.seconds]).toEqual([10_000, 1, 10_000]);
    expect(limits).toEqual(Array(10).fill(1000));
    const rest = await tally.take();
    expect([rest.length, rest[0]?.seconds, rest.at(-1)?.seconds]).toEqual([2_500, 10_001, 12_500]);
    expect(limits).toHaveLength(13);
    expect(await tally.take()).toEqual([]);
    expect(limits).toHaveLength(14);
  });

  it('GIVEN ends with no seconds, zero or a malformed count THEN none is handed over, so the counter never takes a NaN', async () => {
    const clock = new ManualClock(1_000_000);
    const trail = new InMemoryAuditTrail(clock);
    const tally = new LeaseSecondsTally(trail, clock.now());
    trail.append({ ...ending(1), params: {} });
    trail.append(ending(0));
    trail.append({ ...ending(1), params: { seconds: 'lots' } });
    trail.append(ending(-5));
    trail.append(ending(2));
    expect(await tally.take()).toEqual([{ image: 'busybox', team: 'local', seconds: 2 }]);
  });
});
