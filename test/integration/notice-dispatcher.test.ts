import { afterEach, beforeEach, expect, it } from 'vitest';
import { RedisKeys } from '../../src/core/adapters/redis/keys.js';
import { RedisNoticeOutbox } from '../../src/core/adapters/redis/redis-notice-outbox.js';
import { type Notice, noticeFor } from '../../src/core/domain/notice.js';
import { type Notifier, RetryLaterError } from '../../src/core/ports/notifier.js';
import { NoticeDispatcher } from '../../src/core/services/notice-dispatcher.js';
import { LeaseLookup } from '../doubles/lease-lookup.js';
import { ManualClock } from '../doubles/manual-clock.js';
import { RecordingLogger } from '../doubles/recording-logger.js';
import { describeWith, flushPrefix, testRedis, uniquePrefix } from '../support/services.js';

const notice = (leaseId: string, platform = 'local'): Notice =>
  noticeFor(
    'expired',
    {
      id: leaseId,
      owner: `${platform}:alice`,
      notify: { platform, user: 'alice' },
      imageType: 'busybox',
      image: 'local/busybox:latest',
      containerId: 'c1',
      expiresAt: 1_800_000_000_000,
      hardCapAt: 1_800_000_600_000,
    },
    1_800_000_000_000,
  );

/** A notifier that fails its first `failures` deliveries, then records what it shows. */
function flakyNotifier(failures: number, error: () => Error = () => new Error('platform down (injected)')) {
  const shown: string[] = [];
  let calls = 0;
  const notifier: Notifier = {
    platform: 'local',
    async deliver(n) {
      calls += 1;
      if (calls <= failures) throw error();
      shown.push(n.id);
    },
  };
  return { notifier, shown, calls: () => calls };
}

describeWith({ redis: true })('the notice outbox on a Redis Stream, with its dispatcher', () => {
  const redis = testRedis();
  const blocking = testRedis();
  let prefix: string;
  let keys: RedisKeys;
  let outbox: RedisNoticeOutbox;
  let logger: RecordingLogger;

  beforeEach(() => {
    prefix = uniquePrefix();
    keys = new RedisKeys(prefix);
    outbox = new RedisNoticeOutbox(redis, blocking, keys);
    logger = new RecordingLogger();
  });
  afterEach(() => flushPrefix(redis, prefix));

  const dispatcher = (notifiers: Notifier[], maxAttempts = 4) =>
    new NoticeDispatcher(outbox, notifiers, logger, {
      consumer: 'test',
      retryBaseMs: 30,
      maxAttempts,
      blockMs: 20,
      leases: new LeaseLookup(),
    });

  /** Runs passes until `done` says so; the retries need their backoff to pass. */
  async function drain(d: NoticeDispatcher, done: () => boolean | Promise<boolean>, passes = 200) {
    for (let pass = 0; pass < passes && !(await done()); pass += 1) await d.tick();
  }

  it('GIVEN a notifier that fails twice then succeeds THEN the notice is shown exactly once and acknowledged', async () => {
    const flaky = flakyNotifier(2);
    await outbox.enqueue(notice('lease00001'));
    const d = dispatcher([flaky.notifier]);
    await drain(d, () => flaky.shown.length > 0);
    for (let pass = 0; pass < 5; pass += 1) await d.tick();
    expect(flaky.shown).toEqual(['expired:lease00001']);
    expect(flaky.calls()).toBe(3);
    expect(await outbox.pendingCount()).toBe(0);
  });

  it('GIVEN a notifier that always fails THEN the notice ends in the dead letters, with one error line saying so', async () => {
    const broken = flakyNotifier(Number.POSITIVE_INFINITY);
    await outbox.enqueue(notice('lease00002'));
    const d = dispatcher([broken.notifier], 3);
    await drain(d, async () => (await redis.xlen(keys.deadLetters())) > 0);
    for (let pass = 0; pass < 5; pass += 1) await d.tick();
    expect(broken.shown).toEqual([]);
    expect(broken.calls()).toBe(3);
    expect(await outbox.pendingCount()).toBe(0);
    const dead = await redis.xrange(keys.deadLetters(), '-', '+');
    expect(dead).toHaveLength(1);
    expect(dead[0]?.[1]).toContain('not delivered after 3 attempts');
    expect(logger.lines.filter((line) => line.level === 'error')).toEqual([
      {
        level: 'error',
        fields: { entryId: expect.any(String), attempts: 3 },
        message: 'notice dead-lettered',
      },
    ]);
  });

  it('GIVEN the same notice queued twice THEN it is shown once', async () => {
    const ok = flakyNotifier(0);
    await outbox.enqueue(notice('lease00003'));
    await outbox.enqueue(notice('lease00003'));
    const d = dispatcher([ok.notifier]);
    await drain(d, () => false, 5);
    expect(ok.shown).toEqual(['expired:lease00003']);
  });

  it('GIVEN a notifier told to retry later THEN the platform pauses and the notice still arrives once', async () => {
    const limited = flakyNotifier(1, () => new RetryLaterError('429 (injected)', 100));
    await outbox.enqueue(notice('lease00004'));
    const d = dispatcher([limited.notifier]);
    await drain(d, () => limited.shown.length > 0);
    expect(limited.shown).toEqual(['expired:lease00004']);
  });

  it('GIVEN a platform without a notifier THEN the notice is dead-lettered with the reason; API owners are settled quietly', async () => {
    await outbox.enqueue(notice('lease00005', 'slack'));
    await outbox.enqueue(notice('lease00006', 'api'));
    await dispatcher([flakyNotifier(0).notifier]).tick();
    const dead = await redis.xrange(keys.deadLetters(), '-', '+');
    expect(dead.map(([, fields]) => fields[fields.indexOf('reason') + 1])).toEqual(['no notifier for slack']);
    expect(await outbox.pendingCount()).toBe(0);
    expect(logger.warnings).toEqual([
      expect.stringMatching(/^no notifier for slack; dead-lettered .*"leaseId":"lease00005"/),
      expect.stringMatching(/^notice for an API owner settled .*"leaseId":"lease00006"/),
    ]);
  });

  it('GIVEN a second consumer that died holding a notice THEN this one claims it back after the backoff', async () => {
    await outbox.enqueue(notice('lease00007'));
    const deliveries = await outbox.readNew('dead-consumer', 10, 10);
    expect(deliveries).toHaveLength(1);
    const ok = flakyNotifier(0);
    await drain(dispatcher([ok.notifier]), () => ok.shown.length > 0);
    expect(ok.shown).toEqual(['expired:lease00007']);
  });

  it.each([
    [60, 'fifty and more'],
    [1_100, 'more than one pass looks through'],
  ])(
    'GIVEN %i notices of a platform waiting out a long backoff (%s) ahead of due retries of another THEN the due ones are delivered and the waiting ones left alone',
    async (count) => {
      const down = flakyNotifier(Number.POSITIVE_INFINITY);
      const up = flakyNotifier(0);
      await Promise.all(
        Array.from({ length: count }, (_, i) =>
          outbox.enqueue(notice(`slow${String(i).padStart(6, '0')}`, 'discord')),
        ),
      );
      // A consumer took them and failed ten times: each now waits 30 ms × 2⁹, about 15 s.
      const taken = await outbox.readNew('earlier-consumer', count, 10);
      const ids = taken.map((delivery) => delivery.entryId);
      await redis.xclaim(keys.notifications(), 'notifiers', 'earlier-consumer', 0, ...ids, 'RETRYCOUNT', 10);
      for (let i = 0; i < 5; i += 1) await outbox.enqueue(notice(`due${String(i).padStart(7, '0')}`));
      expect(await outbox.readNew('earlier-consumer', 100, 10)).toHaveLength(5);
      const d = dispatcher([{ ...down.notifier, platform: 'discord' }, up.notifier], 100);
      await drain(d, () => up.shown.length === 5, 20);
      expect(up.shown.sort()).toEqual([0, 1, 2, 3, 4].map((i) => `expired:due${String(i).padStart(7, '0')}`));
      expect(down.calls()).toBe(0);
      const stillWaiting = await redis.xpending(keys.notifications(), 'notifiers', '-', '+', count + 10);
      expect((stillWaiting as Array<[string, string, number, number]>).map((entry) => entry[3])).toEqual(
        Array(count).fill(10),
      );
    },
  );

  it('GIVEN a warning whose expiry passed while it waited THEN it is dropped with a log line, not delivered late; a current one is delivered', async () => {
    const clock = new ManualClock(1_800_000_000_000);
    const ok = flakyNotifier(0);
    const leases = new LeaseLookup();
    const warning = (leaseId: string, expiresAt: number) => {
      const subject = { ...notice(leaseId), id: leaseId, expiresAt };
      leases.active(subject);
      return noticeFor('warning', subject, clock.now() - 60_000);
    };
    await outbox.enqueue(warning('late000001', clock.now() - 1));
    await outbox.enqueue(warning('ontime0001', clock.now() + 5 * 60_000));
    const d = new NoticeDispatcher(outbox, [ok.notifier], logger, {
      consumer: 'test',
      blockMs: 20,
      clock,
      leases,
    });
    await drain(d, () => ok.shown.length > 0, 10);
    expect(ok.shown).toEqual([`warning:ontime0001:${clock.now() + 5 * 60_000}`]);
    expect(await outbox.pendingCount()).toBe(0);
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        message: 'warning dropped: the expiry it announces passed before it could be delivered',
        fields: expect.objectContaining({ leaseId: 'late000001' }),
      }),
    );
  });

  it('GIVEN warnings queued for leases that were then stopped, ended or extended THEN none is delivered, each dropped with why; the one still true is delivered', async () => {
    const clock = new ManualClock(1_800_000_000_000);
    const ok = flakyNotifier(0);
    const leases = new LeaseLookup();
    const expiresAt = clock.now() + 5 * 60_000;
    const warn = async (leaseId: string) => {
      const subject = { ...notice(leaseId), id: leaseId, expiresAt };
      leases.active(subject);
      await outbox.enqueue(noticeFor('warning', subject, clock.now()));
    };
    for (const id of ['stopped001', 'cleaning01', 'extended01', 'current001']) await warn(id);
    leases.remove('stopped001');
    leases.change('cleaning01', { status: 'cleaning' });
    leases.change('extended01', { expiresAt: expiresAt + 30 * 60_000 });
    const d = new NoticeDispatcher(outbox, [ok.notifier], logger, {
      consumer: 'test',
      blockMs: 20,
      clock,
      leases,
    });
    await drain(d, async () => (await outbox.pendingCount()) === 0 && ok.shown.length > 0, 10);
    expect(ok.shown).toEqual([`warning:current001:${expiresAt}`]);
    const dropped = logger.lines
      .filter((line) => line.message?.startsWith('warning dropped'))
      .map((line) => [line.fields?.leaseId, line.message]);
    expect(dropped).toEqual([
      ['stopped001', 'warning dropped: its lease has ended'],
      ['cleaning01', 'warning dropped: its lease has ended'],
      ['extended01', 'warning dropped: its lease was extended since'],
    ]);
  });
});
