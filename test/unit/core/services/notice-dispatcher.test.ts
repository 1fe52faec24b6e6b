import { describe, expect, it } from 'vitest';
import { type Notice, noticeFor } from '../../../../src/core/domain/notice.js';
import { type Notifier, RetryLaterError } from '../../../../src/core/ports/notifier.js';
import { NoticeDispatcher } from '../../../../src/core/services/notice-dispatcher.js';
import { InMemoryNoticeOutbox } from '../../../doubles/in-memory-notice-outbox.js';
import { LeaseLookup } from '../../../doubles/lease-lookup.js';
import { ManualClock } from '../../../doubles/manual-clock.js';
import { RecordingLogger } from '../../../doubles/recording-logger.js';
import { eventually } from '../../../support/eventually.js';

const START = Date.parse('2026-11-29T12:00:00Z');
const MINUTE_MS = 60_000;

const subject = (leaseId: string, owner = 'local:alice', platform = 'local') => ({
  id: leaseId,
  owner,
  notify: { platform, user: 'alice' },
  imageType: 'busybox',
  image: 'local/busybox:latest',
  containerId: 'c1',
  expiresAt: START + 30 * MINUTE_MS,
  hardCapAt: START + 100 * MINUTE_MS,
});

/**
 * A notifier of `platform` that records when (by `clock`) each delivery was tried, failing while
 * `down`, and answering "retry later" (a 429) while `retryAfterMs` is set.
 */
function recordingNotifier(clock: ManualClock, platform = 'local') {
  const tries: number[] = [];
  const shown: string[] = [];
  const state: { down: boolean; retryAfterMs?: number } = { down: false };
  const notifier: Notifier = {
    platform,
    async deliver(notice: Notice) {
      tries.push(clock.now());
      if (state.down) throw new Error(`${platform} down (injected)`);
      if (state.retryAfterMs) throw new RetryLaterError('429 (injected)', state.retryAfterMs);
      shown.push(notice.id);
    },
  };
  return { notifier, tries, shown, state };
}

/** An outbox whose first read fails, as Redis being briefly unreachable makes it; it counts the reads in flight. */
class OutboxUnreachableOnce extends InMemoryNoticeOutbox {
  reading = 0;
  mostReadsAtOnce = 0;
  /** The wait each read was asked for; `blockMs`, when set, is how long it really waits. */
  readonly blockMsAsked: number[] = [];
  blockMs: number | undefined;
  private failures = 1;

  override async readNew(consumer: string, count: number, blockMs: number) {
    this.blockMsAsked.push(blockMs);
    blockMs = this.blockMs ?? blockMs;
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error('outbox unreachable (injected)');
    }
    this.reading += 1;
    this.mostReadsAtOnce = Math.max(this.mostReadsAtOnce, this.reading);
    try {
      return await super.readNew(consumer, count, blockMs);
    } finally {
      this.reading -= 1;
    }
  }
}

/**
 * The dispatcher over the in-memory outbox, whose entries age by `clock`, so the retry timing can be
 * read exactly, with a recording notifier for each of `platforms` (`told`). Its pause after a 429
 * goes by the real clock.
 */
function dispatcherOverDoubles<Platform extends string>(platforms: readonly Platform[]) {
  const clock = new ManualClock(START);
  const outbox = new InMemoryNoticeOutbox(clock);
  const logger = new RecordingLogger();
  const leases = new LeaseLookup();
  const told = Object.fromEntries(
    platforms.map((platform) => [platform, recordingNotifier(clock, platform)]),
  ) as Record<Platform, ReturnType<typeof recordingNotifier>>;
  const notifiers = platforms.map((platform) => told[platform].notifier);
  const dispatcher = new NoticeDispatcher(outbox, notifiers, logger, {
    consumer: 'unit',
    retryBaseMs: 1_000,
    blockMs: 0,
    clock,
    leases,
  });
  /** Queues `count` expiry notices for leases `<name>00…` of `owner`, to be told on `platform`. */
  const queue = async (name: string, count: number, owner = 'local:alice', platform = 'local') => {
    for (let i = 0; i < count; i += 1) {
      const lease = subject(`${name}${String(i).padStart(10 - name.length, '0')}`, owner, platform);
      await outbox.enqueue(noticeFor('expired', lease, START));
    }
  };
  return { clock, outbox, logger, leases, dispatcher, told, queue };
}

describe('NoticeDispatcher over an in-memory outbox', () => {
  it('GIVEN a platform that stays down THEN each retry waits twice as long as the last, never more than five minutes, and the twelfth failure dead-letters the notice', async () => {
    const f = dispatcherOverDoubles(['local']);
    const { local } = f.told;
    local.state.down = true;
    await f.outbox.enqueue(noticeFor('expired', subject('lease00001'), START));

    for (let second = 0; second <= 1_200; second += 1) {
      await f.dispatcher.tick();
      f.clock.advance(1_000);
    }

    const gaps = local.tries.slice(1).map((at, i) => (at - (local.tries[i] ?? 0)) / 1_000);
    expect(gaps).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300]);
    expect(f.outbox.deadLetters).toEqual([
      {
        notice: expect.objectContaining({ leaseId: 'lease00001' }),
        reason: 'not delivered after 12 attempts',
      },
    ]);
    expect(await f.outbox.pendingCount()).toBe(0);
    expect(f.logger.errors).toEqual([expect.stringMatching(/^notice dead-lettered .*"attempts":12/)]);
  });

  it('GIVEN sixty notices due for a retry at once THEN a pass delivers a page of fifty and the next pass the other ten', async () => {
    const f = dispatcherOverDoubles(['local']);
    const { local } = f.told;
    local.state.down = true;
    await f.queue('lease', 60);
    await f.dispatcher.tick();
    await f.dispatcher.tick();
    local.state.down = false;
    f.clock.advance(1_000);

    expect(await f.dispatcher.tick()).toBe(50);
    expect(await f.dispatcher.tick()).toBe(10);
  });

  it('GIVEN sixty notices due for a retry behind ten still waiting THEN a pass delivers fifty and the next pass the other ten', async () => {
    const f = dispatcherOverDoubles(['discord', 'local']);
    const { discord, local } = f.told;
    discord.state.down = true;
    local.state.down = true;
    await f.queue('wait', 10, 'discord:bob', 'discord');
    await f.dispatcher.tick();
    f.clock.advance(1_000);
    await f.dispatcher.tick();
    await f.queue('lease', 60);
    await f.dispatcher.tick();
    await f.dispatcher.tick();
    local.state.down = false;
    f.clock.advance(1_000);

    expect(await f.dispatcher.tick()).toBe(50);
    expect(await f.dispatcher.tick()).toBe(10);
    expect(new Set(local.shown).size).toBe(60);
    expect(discord.tries).toHaveLength(20);
  });

  it('GIVEN a platform that says to retry later THEN it is left alone for that long while other platforms go on', async () => {
    const f = dispatcherOverDoubles(['slack', 'local']);
    const { slack, local } = f.told;
    slack.state.retryAfterMs = 60_000;
    await f.outbox.enqueue(noticeFor('expired', subject('lease00010', 'slack:U1', 'slack'), START));
    await f.outbox.enqueue(noticeFor('expired', subject('lease00011', 'slack:U1', 'slack'), START));
    await f.outbox.enqueue(noticeFor('expired', subject('lease00012'), START));

    expect(await f.dispatcher.tick()).toBe(1);
    expect(slack.tries).toHaveLength(1);
    expect(local.shown).toEqual(['expired:lease00012']);
    expect(f.logger.warnings).toEqual([
      expect.stringMatching(
        /^notice delivery failed; it stays pending .*"leaseId":"lease00010".*"error":"429 \(injected\)"/,
      ),
    ]);
    f.clock.advance(10_000);
    await f.dispatcher.tick();
    expect(slack.tries).toHaveLength(1);
  });

  it('GIVEN a notice with no notify target THEN its owner id says which platform tells them', async () => {
    const f = dispatcherOverDoubles(['slack']);
    const { slack } = f.told;
    const { notify: _notify, ...withoutTarget } = noticeFor(
      'expired',
      subject('lease00013', 'slack:U1'),
      START,
    );
    await f.outbox.enqueue(withoutTarget as Notice);

    expect(await f.dispatcher.tick()).toBe(1);
    expect(slack.shown).toEqual(['expired:lease00013']);
  });

  it('GIVEN no read wait configured THEN each read for new notices waits up to two seconds', async () => {
    const clock = new ManualClock(START);
    const outbox = new OutboxUnreachableOnce(clock);
    const dispatcher = new NoticeDispatcher(outbox, [], new RecordingLogger(), {
      consumer: 'unit',
      clock,
      leases: new LeaseLookup(),
    });
    await expect(dispatcher.tick()).rejects.toThrow('outbox unreachable (injected)');
    outbox.blockMs = 0;

    await dispatcher.tick();
    expect(outbox.blockMsAsked).toEqual([2_000, 2_000]);
  });

  it('GIVEN a thousand notices of a platform waiting out a long backoff ahead of a due one THEN a pass looks through twenty pages of fifty and the next goes on to deliver it', async () => {
    const f = dispatcherOverDoubles(['discord', 'local']);
    const { discord, local } = f.told;
    discord.state.down = true;
    await f.queue('slow', 1_000, 'discord:bob', 'discord');
    // Bounded, so a broken dispatcher fails here instead of spinning: 20 passes read them all, 21 retry them.
    for (let pass = 0; pass < 25 && discord.tries.length < 1_000; pass += 1) await f.dispatcher.tick();
    f.clock.advance(1_000);
    for (let pass = 0; pass < 25 && discord.tries.length < 2_000; pass += 1) await f.dispatcher.tick();
    expect(discord.tries).toHaveLength(2_000);
    local.state.down = true;
    await f.outbox.enqueue(noticeFor('expired', subject('due0000001'), START));
    await f.dispatcher.tick();
    local.state.down = false;
    f.clock.advance(1_000);

    expect(await f.dispatcher.tick()).toBe(0);
    expect(await f.dispatcher.tick()).toBe(1);
    expect(local.shown).toEqual(['expired:due0000001']);
    expect(discord.tries).toHaveLength(2_000);
  });

  it('GIVEN a warning delivered at the very moment of the expiry it announces THEN it is dropped, not delivered', async () => {
    const f = dispatcherOverDoubles(['local']);
    const { local } = f.told;
    const lease = { ...subject('lease00002'), expiresAt: START + 5 * MINUTE_MS };
    f.leases.active(lease);
    await f.outbox.enqueue(noticeFor('warning', lease, START));
    f.clock.set(lease.expiresAt);

    expect(await f.dispatcher.tick()).toBe(0);
    expect(local.tries).toEqual([]);
    expect(f.logger.warnings).toEqual([
      expect.stringMatching(/^warning dropped: the expiry it announces passed before it could be delivered/),
    ]);
  });

  it('GIVEN a notice whose owner asked to be told on another platform THEN that platform tells them; without a platform, the owner id decides', async () => {
    const f = dispatcherOverDoubles(['slack', 'api']);
    const { slack, api } = f.told;
    await f.outbox.enqueue(noticeFor('expired', subject('lease00003', 'api:ci-bot', 'slack'), START));
    await f.outbox.enqueue(noticeFor('expired', subject('lease00004', 'slack:U1', ''), START));

    expect(await f.dispatcher.tick()).toBe(2);
    expect(slack.shown).toEqual(['expired:lease00003', 'expired:lease00004']);
    expect(api.shown).toEqual([]);
    expect(f.logger.lines.map((line) => [line.message, line.fields.platform])).toEqual([
      ['notice delivered', 'slack'],
      ['notice delivered', 'slack'],
    ]);
  });

  it('GIVEN a pass that fails (the outbox unreachable) THEN the running dispatcher logs it, waits a second and goes on delivering; started twice it still reads once at a time; stop waits for the pass, and it starts again', async () => {
    const clock = new ManualClock(START);
    const outbox = new OutboxUnreachableOnce(clock);
    const logger = new RecordingLogger();
    const local = recordingNotifier(clock);
    const dispatcher = new NoticeDispatcher(outbox, [local.notifier], logger, {
      consumer: 'unit',
      blockMs: 5,
      clock,
      leases: new LeaseLookup(),
    });
    await outbox.enqueue(noticeFor('expired', subject('lease00005'), START));

    const started = performance.now();
    dispatcher.start();
    dispatcher.start();
    await eventually(() => local.shown.length > 0, 10_000, 'the first notice shown');
    await dispatcher.stop();

    expect(performance.now() - started).toBeGreaterThanOrEqual(990);
    expect(outbox.reading).toBe(0);
    expect(outbox.mostReadsAtOnce).toBe(1);
    expect(local.shown).toEqual(['expired:lease00005']);
    expect(logger.warnings).toEqual([
      'notice dispatcher pass failed; retrying {"error":"outbox unreachable (injected)"}',
    ]);

    await outbox.enqueue(noticeFor('expired', subject('lease00006'), START));
    dispatcher.start();
    await eventually(() => local.shown.length > 1, 10_000, 'the second notice shown after a restart');
    await dispatcher.stop();
    expect(local.shown).toEqual(['expired:lease00005', 'expired:lease00006']);
  });
});
