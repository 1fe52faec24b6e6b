import { afterAll, afterEach, beforeEach, expect, it } from 'vitest';
import type { DiscordBot } from '../../../src/bots/discord/discord-bot.js';
import { RedisKeys } from '../../../src/core/adapters/redis/keys.js';
import { RedisNoticeOutbox } from '../../../src/core/adapters/redis/redis-notice-outbox.js';
import { type Notice, type NoticeKind, noticeFor } from '../../../src/core/domain/notice.js';
import { silentLogger } from '../../../src/core/ports/logger.js';
import { RetryLaterError } from '../../../src/core/ports/notifier.js';
import { NoticeDispatcher } from '../../../src/core/services/notice-dispatcher.js';
import { LeaseLookup } from '../../doubles/lease-lookup.js';
import { ALICE, CHANNEL_ID, DISCORD_TOKEN } from '../../fakes/discord-payloads.js';
import { DiscordRestFake } from '../../fakes/discord-rest-fake.js';
import { makeBotFixture } from '../../support/bot-fixture.js';
import { testDiscordBot } from '../../support/chat-bots.js';
import { describeWith, flushPrefix, testRedis, uniquePrefix } from '../../support/services.js';

const DM = `dm-${ALICE}`;
const DM_MESSAGES = new RegExp(`^/channels/${DM}/messages$`);
const CHANNEL_MESSAGES = new RegExp(`^/channels/${CHANNEL_ID}/messages$`);

/** The leases the notices are about, each active with the notice's expiry. */
const leases = new LeaseLookup();

function notice(
  kind: NoticeKind,
  leaseId: string,
  expiresAt: number,
  channel: string | null = CHANNEL_ID,
): Notice {
  const subject = {
    id: leaseId,
    owner: `discord:${ALICE}`,
    notify: channel ? { platform: 'discord', user: ALICE, channel } : { platform: 'discord', user: ALICE },
    imageType: 'busybox',
    image: 'local/busybox:latest',
    containerId: 'c1',
    expiresAt,
    hardCapAt: expiresAt + 12 * 3_600_000,
  } as const;
  leases.active(subject);
  return noticeFor(kind, subject, expiresAt);
}

interface Message {
  readonly content: string;
  readonly allowed_mentions: unknown;
  readonly components: { components: { custom_id?: string; label: string }[] }[];
}

describeWith({ redis: true })('Discord notices from the Redis outbox, DMed over REST', () => {
  const redis = testRedis();
  const blocking = testRedis();
  let prefix: string;
  let outbox: RedisNoticeOutbox;
  let rest: DiscordRestFake;
  let bot: DiscordBot;
  let dispatcher: NoticeDispatcher;
  let fixture: ReturnType<typeof makeBotFixture>;

  beforeEach(async () => {
    prefix = uniquePrefix();
    outbox = new RedisNoticeOutbox(redis, blocking, new RedisKeys(prefix));
    rest = await DiscordRestFake.start();
    fixture = makeBotFixture();
    bot = testDiscordBot(fixture, { token: DISCORD_TOKEN, apiUrl: rest.api }, silentLogger, {
      offset: 0,
    });
    dispatcher = new NoticeDispatcher(outbox, [bot.notifier], silentLogger, {
      consumer: 'discord-test',
      retryBaseMs: 20,
      blockMs: 10,
      clock: fixture.clock,
      leases,
    });
  });

  afterEach(async () => {
    await rest.close();
    await flushPrefix(redis, prefix);
  });

  afterAll(() => {
    redis.disconnect();
    blocking.disconnect();
  });

  /** Dispatcher passes until `done`, then five more, to show nothing else is sent. */
  async function drain(done: () => boolean, passes = 300): Promise<void> {
    for (let pass = 0; pass < passes && !done(); pass += 1) await dispatcher.tick();
    for (let pass = 0; pass < 5; pass += 1) await dispatcher.tick();
  }

  it('GIVEN a warning then the expiry THEN both arrive as DMs, the warning with Extend buttons and no Stop', async () => {
    const expiresAt = fixture.clock.now() + 10 * 60_000;
    await outbox.enqueue(notice('warning', 'lease00001', expiresAt));
    await outbox.enqueue(notice('expired', 'lease00001', expiresAt));
    await drain(() => rest.find('POST', DM_MESSAGES).length === 2);

    expect(rest.find('POST', /^\/users\/@me\/channels$/).map((request) => request.body)).toEqual([
      { recipient_id: ALICE },
      { recipient_id: ALICE },
    ]);
    const [warning, expired] = rest.find('POST', DM_MESSAGES).map((request) => request.body as Message);
    expect(warning?.content).toBe(
      `Your **busybox** lease \`lease00001\` ends <t:${expiresAt / 1000}:R>\nIt will be removed at <t:${expiresAt / 1000}:f>. Extend it to keep working.`,
    );
    expect(warning?.components[0]?.components.map((button) => button.custom_id ?? button.label)).toEqual([
      'lease:extend:lease00001:30',
      'lease:extend:lease00001:480',
      'Logs',
    ]);
    expect(expired?.content).toContain(
      'Your **busybox** lease `lease00001` expired and its container was removed.',
    );
    expect(rest.find('POST', CHANNEL_MESSAGES)).toEqual([]);
    expect(await outbox.pendingCount()).toBe(0);
  });

  it('GIVEN the owner blocks DMs (50007) THEN the notice is posted in their channel with a mention that pings only them', async () => {
    rest.failNext('POST', DM_MESSAGES, {
      status: 403,
      body: { message: 'Cannot send messages to this user', code: 50007 },
    });
    await outbox.enqueue(notice('expired', 'lease00002', fixture.clock.now()));
    await drain(() => rest.find('POST', CHANNEL_MESSAGES).length > 0);

    const [posted] = rest.find('POST', CHANNEL_MESSAGES).map((request) => request.body as Message);
    expect(posted?.content.startsWith(`<@${ALICE}> Your **busybox** lease \`lease00002\` expired`)).toBe(
      true,
    );
    expect(posted?.allowed_mentions).toEqual({ users: [ALICE] });
    expect(rest.find('POST', CHANNEL_MESSAGES)).toHaveLength(1);
    expect(await outbox.pendingCount()).toBe(0);
  });

  it('GIVEN the owner blocks DMs (50007) WHEN warned THEN the channel sees no link, only how to get one, and the buttons', async () => {
    rest.failNext('POST', DM_MESSAGES, {
      status: 403,
      body: { message: 'Cannot send messages to this user', code: 50007 },
    });
    await outbox.enqueue(notice('warning', 'lease00004', fixture.clock.now() + 10 * 60_000));
    await drain(() => rest.find('POST', CHANNEL_MESSAGES).length > 0);

    const [posted] = rest.find('POST', CHANNEL_MESSAGES).map((request) => request.body as Message);
    expect(JSON.stringify(posted)).not.toMatch(/https?:|token=/);
    expect(posted?.content).toContain('Get the link to its logs with `/lease logs lease00004`.');
    expect(posted?.components[0]?.components.map((button) => button.custom_id ?? button.label)).toEqual([
      'lease:extend:lease00004:30',
      'lease:extend:lease00004:480',
    ]);
  });

  it('GIVEN Discord answers 500 three times THEN the notice stays pending, is retried, and arrives exactly once', async () => {
    rest.failNext(
      'POST',
      DM_MESSAGES,
      { status: 500, body: { message: 'Internal Server Error', code: 0 } },
      3,
    );
    await outbox.enqueue(notice('expired', 'lease00003', fixture.clock.now()));
    await dispatcher.tick();
    expect(await outbox.pendingCount()).toBe(1);

    await drain(() => rest.find('POST', DM_MESSAGES).length === 4);
    expect(rest.find('POST', DM_MESSAGES)).toHaveLength(4);
    expect(await outbox.pendingCount()).toBe(0);
  });

  it('GIVEN Discord rate-limits (429 with Retry-After) for a while THEN the notifier says retry later and the notice arrives exactly once', async () => {
    const limited = {
      status: 429,
      headers: { 'retry-after': '0.05' },
      body: { message: 'You are being rate limited.', retry_after: 0.05, global: false },
    };
    rest.failNext('POST', DM_MESSAGES, limited, 2);
    const expired = notice('expired', 'lease00004', fixture.clock.now());

    const first = await bot.notifier.deliver(expired).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(first).toBeInstanceOf(RetryLaterError);
    expect((first as RetryLaterError).retryAfterMs).toBe(50);

    await outbox.enqueue(expired);
    await drain(() => rest.find('POST', DM_MESSAGES).length === 3);
    expect(rest.find('POST', DM_MESSAGES)).toHaveLength(3);
    expect(await outbox.pendingCount()).toBe(0);
  });

  it('GIVEN DMs blocked and no channel to fall back to THEN delivery fails, so the notice stays pending', async () => {
    rest.failNext('POST', DM_MESSAGES, {
      status: 403,
      body: { message: 'Cannot send messages to this user', code: 50007 },
    });
    await outbox.enqueue(notice('expired', 'lease00005', fixture.clock.now(), null));
    await dispatcher.tick();
    expect(await outbox.pendingCount()).toBe(1);
    expect(rest.find('POST', /^\/channels\/\d+\/messages$/)).toEqual([]);
  });
});
