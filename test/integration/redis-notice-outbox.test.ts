import type { Redis } from 'ioredis';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { RedisKeys } from '../../src/core/adapters/redis/keys.js';
import { RedisNoticeOutbox } from '../../src/core/adapters/redis/redis-notice-outbox.js';
import { type Notice, noticeFor } from '../../src/core/domain/notice.js';
import { describeWith, flushPrefix, testRedis, uniquePrefix } from '../support/services.js';

const notice = (leaseId: string): Notice =>
  noticeFor(
    'expired',
    {
      id: leaseId,
      owner: 'local:alice',
      notify: { platform: 'local', user: 'alice' },
      imageType: 'busybox',
      image: 'local/busybox:latest',
      containerId: `c-${leaseId}`,
      expiresAt: 1_000,
      hardCapAt: 2_000,
    },
    1_000,
  );

/** The outbox's own promises on Redis; the dispatcher's tests hold what it does with them. */
describeWith({ redis: true })('RedisNoticeOutbox on real Redis', () => {
  let redis: Redis;
  let blocking: Redis;
  let prefix: string;
  let keys: RedisKeys;
  let outbox: RedisNoticeOutbox;

  beforeEach(() => {
    redis = testRedis();
    blocking = testRedis();
    prefix = uniquePrefix();
    keys = new RedisKeys(prefix);
    outbox = new RedisNoticeOutbox(redis, blocking, keys);
  });

  afterEach(async () => {
    await flushPrefix(redis, prefix);
    redis.disconnect();
    blocking.disconnect();
  });

  it('GIVEN notices queued THEN each is handed out once, first attempt; then a read waits and gets none', async () => {
    await outbox.enqueue(notice('lease00001'));
    await outbox.enqueue(notice('lease00002'));
    const deliveries = await outbox.readNew('bot-a', 10, 10);
    expect(deliveries.map(({ notice, attempts }) => [notice, attempts])).toEqual([
      [notice('lease00001'), 1],
      [notice('lease00002'), 1],
    ]);
    expect(await outbox.readNew('bot-a', 10, 10)).toEqual([]);
    expect(await outbox.pendingCount()).toBe(2);
  });

  it('GIVEN an entry pending THEN each claim by another consumer counts one more attempt', async () => {
    await outbox.enqueue(notice('lease00003'));
    await outbox.readNew('bot-a', 10, 10);
    const [first] = await outbox.pending(0, 10);
    expect(first).toMatchObject({ attempts: 1 });
    expect(
      (await outbox.claim('bot-b', [first ?? { entryId: '', attempts: 0, idleMs: 0 }], 0))[0]?.attempts,
    ).toBe(2);
    const [again] = await outbox.pending(0, 10);
    expect(
      (await outbox.claim('bot-c', [again ?? { entryId: '', attempts: 0, idleMs: 0 }], 0))[0]?.attempts,
    ).toBe(3);
  });

  it('GIVEN an entry dead-lettered THEN it leaves the outbox for the dead letters with why and where from; one already gone adds none', async () => {
    await outbox.enqueue(notice('lease00004'));
    const [delivery] = await outbox.readNew('bot-a', 10, 10);
    const entryId = delivery?.entryId ?? '';
    await outbox.deadLetter(entryId, 'slack: channel_not_found');
    await outbox.deadLetter(entryId, 'slack: channel_not_found');
    const dead = await redis.xrange(keys.deadLetters(), '-', '+');
    expect(dead.map(([, fields]) => fields)).toEqual([
      [
        'notice',
        JSON.stringify(notice('lease00004')),
        'reason',
        'slack: channel_not_found',
        'entry',
        entryId,
      ],
    ]);
    expect(await outbox.pendingCount()).toBe(0);
    expect(await outbox.pending(0, 10)).toEqual([]);
  });

  it('GIVEN an entry that holds no readable notice THEN it is handed out as nothing and stays pending, for the dead letters', async () => {
    await redis.xadd(keys.notifications(), '*', 'notice', 'garbled');
    expect(await outbox.readNew('bot-a', 10, 10)).toEqual([]);
    expect(await outbox.pending(0, 10)).toHaveLength(1);
  });

  it('GIVEN a second instance THEN it joins the consumer group the first made', async () => {
    const other = testRedis();
    try {
      await outbox.enqueue(notice('lease00005'));
      expect(await outbox.readNew('bot-a', 10, 10)).toHaveLength(1);
      await outbox.enqueue(notice('lease00006'));
      const theirs = await new RedisNoticeOutbox(other, other, keys).readNew('bot-b', 10, 10);
      expect(theirs.map((delivery) => delivery.notice.leaseId)).toEqual(['lease00006']);
    } finally {
      other.disconnect();
    }
  });

  it('GIVEN the outbox key holding something else THEN reading fails, and works again once it is cleared', async () => {
    await redis.set(keys.notifications(), 'not a stream');
    await expect(outbox.readNew('bot-a', 10, 10)).rejects.toThrow(/WRONGTYPE/);
    await redis.del(keys.notifications());
    await outbox.enqueue(notice('lease00007'));
    expect(await outbox.readNew('bot-a', 10, 10)).toHaveLength(1);
  });

  it('GIVEN the stream lost with its group (Redis flushed) THEN one read fails, and the next makes a new group and delivers', async () => {
    expect(await outbox.readNew('bot-a', 10, 10)).toEqual([]);
    await redis.del(keys.notifications());
    await expect(outbox.readNew('bot-a', 10, 10)).rejects.toThrow(/NOGROUP/);
    await outbox.enqueue(notice('lease00008'));
    expect((await outbox.readNew('bot-a', 10, 10)).map((delivery) => delivery.notice.leaseId)).toEqual([
      'lease00008',
    ]);
  });

  it('GIVEN a notice shown THEN it is remembered for a week', async () => {
    expect(await outbox.wasShown('expired:lease00009')).toBe(false);
    await outbox.markShown('expired:lease00009');
    expect(await outbox.wasShown('expired:lease00009')).toBe(true);
    expect(await redis.ttl(keys.delivered('expired:lease00009'))).toBeGreaterThan(7 * 24 * 3600 - 60);
  });
});
