import type { Redis } from 'ioredis';
import nock from 'nock';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { RedisKeys } from '../../../src/core/adapters/redis/keys.js';
import { RedisNoticeOutbox } from '../../../src/core/adapters/redis/redis-notice-outbox.js';
import { type NoticeKind, noticeFor } from '../../../src/core/domain/notice.js';
import { NoticeDispatcher } from '../../../src/core/services/notice-dispatcher.js';
import { LeaseLookup } from '../../doubles/lease-lookup.js';
import { RecordingLogger } from '../../doubles/recording-logger.js';
import { slackAuthError } from '../../fakes/slack-wire.js';
import { makeBotFixture } from '../../support/bot-fixture.js';
import { testSlackBot } from '../../support/chat-bots.js';
import { describeWith, flushPrefix, testRedis, uniquePrefix } from '../../support/services.js';
import { isolateNetwork } from './http-harness.js';

const network = isolateNetwork();
const LEASE_ID = '7k2m9x4qpz';

interface Step {
  readonly status: number;
  readonly headers?: Record<string, string>;
}

/**
 * Slack's Web API on nock: both methods refuse a missing or unknown bot token as Slack does;
 * conversations.open then always works; chat.postMessage follows `script`, then succeeds.
 */
function nockSlack(script: Step[]) {
  const attempts: Array<{ at: number; status: number }> = [];
  const posted: Array<Record<string, unknown>> = [];
  const opened: Array<Record<string, string>> = [];
  const refused: string[] = [];
  const authError = (method: string, context: nock.ReplyFnContext, body: unknown) => {
    const fields = Object.fromEntries(new URLSearchParams(String(body)));
    const error = slackAuthError(method, context.req.headers.authorization, fields.token);
    if (error) refused.push(`${method}: ${error}`);
    return error;
  };
  nock('https://slack.com')
    .persist()
    .post('/api/conversations.open')
    .reply(function (_uri, body) {
      const error = authError('conversations.open', this, body);
      if (error) return [200, { ok: false, error }];
      opened.push(Object.fromEntries(new URLSearchParams(String(body))));
      return [200, { ok: true, channel: { id: 'D0ALICE' } }];
    });
  nock('https://slack.com')
    .persist()
    .post('/api/chat.postMessage')
    .reply(function (_uri, body) {
      const error = authError('chat.postMessage', this, body);
      if (error) return [200, { ok: false, error }];
      const step = script.shift() ?? { status: 200 };
      attempts.push({ at: Date.now(), status: step.status });
      if (step.status !== 200)
        return [step.status, step.status === 429 ? '' : 'upstream error', step.headers ?? {}];
      const fields: Record<string, unknown> = Object.fromEntries(new URLSearchParams(String(body)));
      posted.push({ ...fields, blocks: JSON.parse(String(fields.blocks)) });
      return [200, { ok: true, channel: 'D0ALICE', ts: `${posted.length}.000100` }];
    });
  return { attempts, posted, opened, refused };
}

describeWith({ redis: true })(
  'Slack DMs from the notification outbox (real Redis Stream, Slack on nock)',
  () => {
    let redis: Redis;
    let blocking: Redis;
    let prefix: string;
    let outbox: RedisNoticeOutbox;
    let dispatcher: NoticeDispatcher;
    let fixture: ReturnType<typeof makeBotFixture>;
    let logger: RecordingLogger;
    const leases = new LeaseLookup();

    /** The outbox dispatcher with the Slack bot's notifier, as the product wires them. */
    const slackDispatcher = (config: { botToken?: string } = {}) =>
      new NoticeDispatcher(outbox, [testSlackBot(fixture, config).notifier], logger, {
        consumer: 'slack-test',
        retryBaseMs: 100,
        blockMs: 20,
        clock: fixture.clock,
        leases,
      });

    beforeEach(() => {
      network.unmatched.length = 0;
      prefix = uniquePrefix();
      redis = testRedis();
      blocking = testRedis();
      outbox = new RedisNoticeOutbox(redis, blocking, new RedisKeys(prefix));
      fixture = makeBotFixture();
      logger = new RecordingLogger();
      dispatcher = slackDispatcher();
    });

    afterEach(async () => {
      nock.cleanAll();
      await flushPrefix(redis, prefix);
      await Promise.all([redis.quit(), blocking.quit()]);
    });

    /** A notice about the lease LEASE_ID, which stands active with the notice's expiry. */
    function notice(kind: NoticeKind) {
      const now = fixture.clock.now();
      const subject = {
        id: LEASE_ID,
        owner: 'slack:T0ACME:U0ALICE',
        notify: { platform: 'slack', user: 'U0ALICE', team: 'T0ACME', channel: 'C0GENERAL' },
        imageType: 'busybox',
        image: 'local/busybox:latest',
        containerId: 'c0ffee',
        expiresAt: now + 10 * 60_000,
        hardCapAt: now + 24 * 60 * 60_000,
      } as const;
      leases.active(subject);
      return noticeFor(kind, subject, now);
    }

    /** Runs dispatcher passes until `done`, failing with what the dispatcher logged if it never is. */
    async function dispatchUntil(done: () => boolean): Promise<void> {
      for (const deadline = Date.now() + 20_000; !done(); await dispatcher.tick()) {
        if (Date.now() > deadline) throw new Error(`never done; warnings: ${logger.warnings.join('\n')}`);
      }
    }

    /** More passes, past the retry backoff, so a notice delivered twice would show. */
    async function dispatchAWhileLonger(): Promise<void> {
      const until = Date.now() + 500;
      while (Date.now() < until) await dispatcher.tick();
    }

    it('GIVEN a warning and an expiry notice THEN two DMs: conversations.open once, then chat.postMessage with blocks and text', async () => {
      const slack = nockSlack([]);
      await outbox.enqueue(notice('warning'));
      await outbox.enqueue(notice('expired'));

      await dispatchUntil(() => slack.posted.length === 2);
      await dispatchAWhileLonger();

      expect(slack.opened).toEqual([expect.objectContaining({ users: 'U0ALICE' })]);
      expect(slack.posted).toHaveLength(2);
      const [warning, expired] = slack.posted;
      expect(warning).toMatchObject({ channel: 'D0ALICE', text: expect.stringContaining('ends in 10 min') });
      const warningBlocks = JSON.stringify(warning?.blocks);
      expect(warningBlocks).toContain(`lease:extend:${LEASE_ID}:30`);
      expect(warningBlocks).toContain(`lease:extend:${LEASE_ID}:480`);
      expect(warningBlocks).not.toContain('lease:stop:');
      expect(warningBlocks).toContain('{ago}');
      expect(expired).toMatchObject({
        channel: 'D0ALICE',
        text: expect.stringContaining('expired and its container was removed'),
      });
      const expiredBlocks = JSON.stringify(expired?.blocks);
      expect(expiredBlocks).toContain('It ended at <!date^');
      expect(expiredBlocks).toContain('/lease provision busybox');
      expect(expiredBlocks).toContain('Final logs');
      // Paced: a second from the first DM's reply to the second's start, so they arrive at least that
      // far apart however long the first took to get there (a timer may fire a millisecond early).
      expect((slack.attempts[1]?.at ?? 0) - (slack.attempts[0]?.at ?? 0)).toBeGreaterThanOrEqual(999);
      expect(await outbox.pendingCount()).toBe(0);
      expect(network.unmatched).toEqual([]);
    });

    it('GIVEN a lease stopped for its disk THEN its owner gets a DM saying why, with its final logs', async () => {
      const slack = nockSlack([]);
      await outbox.enqueue(notice('disk'));

      await dispatchUntil(() => slack.posted.length === 1);

      expect(slack.posted[0]).toMatchObject({
        channel: 'D0ALICE',
        text: expect.stringContaining(
          `Your busybox lease ${LEASE_ID} was stopped: its container wrote more than its disk limit.`,
        ),
      });
      const blocks = JSON.stringify(slack.posted[0]?.blocks);
      expect(blocks).toContain('/lease provision busybox');
      expect(blocks).toContain('Final logs');
      expect(await outbox.pendingCount()).toBe(0);
    });

    it('GIVEN Slack answers 500 for a while THEN the notices stay pending and arrive later, exactly once each', async () => {
      const slack = nockSlack([{ status: 500 }, { status: 500 }, { status: 500 }]);
      await outbox.enqueue(notice('warning'));
      await outbox.enqueue(notice('expired'));

      await dispatchUntil(() => slack.posted.length === 2);
      await dispatchAWhileLonger();

      expect(slack.attempts.filter((attempt) => attempt.status === 500)).toHaveLength(3);
      const firstLines = slack.posted.map((post) => String(post.text).split('\n')[0]).sort();
      expect(firstLines).toEqual([
        `Your busybox lease ${LEASE_ID} ends in 10 min`,
        `Your busybox lease ${LEASE_ID} expired and its container was removed.`,
      ]);
      expect(slack.posted).toHaveLength(2);
      expect(await outbox.pendingCount()).toBe(0);
    });

    it('GIVEN Slack answers 429 with Retry-After: 1 THEN no DM is tried again before a second has passed, and each arrives once', async () => {
      const slack = nockSlack([{ status: 429, headers: { 'Retry-After': '1' } }]);
      await outbox.enqueue(notice('warning'));
      await outbox.enqueue(notice('expired'));

      await dispatchUntil(() => slack.posted.length === 2);
      await dispatchAWhileLonger();

      const [limited, next] = slack.attempts;
      expect(limited?.status).toBe(429);
      expect((next?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(950);
      expect(slack.attempts).toHaveLength(3);
      expect(slack.posted).toHaveLength(2);
      expect(await outbox.pendingCount()).toBe(0);
    });

    it('GIVEN a bot token Slack does not know THEN the DM is refused with invalid_auth, logged, and the notice stays pending', async () => {
      const slack = nockSlack([]);
      dispatcher = slackDispatcher({ botToken: 'xoxb-revoked-0000' });
      await outbox.enqueue(notice('expired'));

      await dispatchUntil(() => slack.refused.length > 0);

      expect(slack.refused).toEqual(['conversations.open: invalid_auth']);
      expect(slack.posted).toEqual([]);
      expect(logger.warnings).toEqual([
        expect.stringMatching(/^notice delivery failed; it stays pending .*invalid_auth/),
      ]);
      expect(await outbox.pendingCount()).toBe(1);
    });
  },
);
