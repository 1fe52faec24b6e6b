import type { Redis } from 'ioredis';
import type { Notice } from '../../domain/notice.js';
import type { Delivery, NoticeOutbox, PendingEntry } from '../../ports/notice-outbox.js';
import type { RedisKeys } from './keys.js';
import { type RedisClient, storeCall } from './redis-connection.js';

const GROUP = 'notifiers';
/** How long a delivered notice id is remembered, so a redelivery is recognised. */
const SHOWN_TTL_SECONDS = 7 * 24 * 3600;

type StreamEntry = [id: string, fields: string[]];

/**
 * The outbox on a RedisClient Stream with one consumer group. Entries are deleted once acknowledged, so
 * the stream holds only what is still to deliver; dead letters go to a second stream.
 * `blocking` is a connection of its own, because a blocked XREADGROUP holds its connection.
 */
export class RedisNoticeOutbox implements NoticeOutbox {
  private groupReady: Promise<void> | undefined;

  constructor(
    private readonly redis: RedisClient,
    private readonly blocking: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  enqueue(notice: Notice): Promise<void> {
    return this.call(async () => {
      await this.redis.xadd(this.keys.notifications(), '*', 'notice', JSON.stringify(notice));
    });
  }

  readNew(consumer: string, count: number, blockMs: number): Promise<Delivery[]> {
    return this.call(async () => {
      await this.ensureGroup();
      const reply = (await this.blocking.xreadgroup(
        'GROUP',
        GROUP,
        consumer,
        'COUNT',
        count,
        'BLOCK',
        blockMs,
        'STREAMS',
        this.keys.notifications(),
        '>',
      )) as Array<[string, StreamEntry[]]> | null;
      // Stryker disable next-line OptionalChaining,ArrayDeclaration: a read that waited in vain replies null, where the chain stops; an entry made up in its place would parse as no notice
      return (reply?.[0]?.[1] ?? []).flatMap((entry) => toDelivery(entry, 1));
    });
  }

  pending(minIdleMs: number, count: number, after?: string): Promise<PendingEntry[]> {
    return this.call(async () => {
      await this.ensureGroup();
      const reply = (await this.redis.xpending(
        this.keys.notifications(),
        GROUP,
        'IDLE',
        minIdleMs,
        after === undefined ? '-' : `(${after}`,
        '+',
        count,
      )) as Array<[string, string, number, number]>;
      return reply.map(([entryId, , idleMs, attempts]) => ({
        entryId,
        idleMs: Number(idleMs),
        attempts: Number(attempts),
      }));
    });
  }

  claim(consumer: string, pending: readonly PendingEntry[], minIdleMs: number): Promise<Delivery[]> {
    if (pending.length === 0) return Promise.resolve([]);
    return this.call(async () => {
      const attempts = new Map(pending.map((entry) => [entry.entryId, entry.attempts]));
      // Cluster's XCLAIM is Redis's; TypeScript cannot choose among its overloads on the union.
      const entries = (await (this.redis as Redis).xclaim(
        this.keys.notifications(),
        GROUP,
        consumer,
        minIdleMs,
        ...attempts.keys(),
      )) as StreamEntry[];
      return entries.flatMap((entry) => toDelivery(entry, (attempts.get(entry[0]) ?? 0) + 1));
    });
  }

  ack(entryId: string): Promise<void> {
    return this.call(async () => {
      await this.redis
        .multi()
        .xack(this.keys.notifications(), GROUP, entryId)
        .xdel(this.keys.notifications(), entryId)
        .exec();
    });
  }

  deadLetter(entryId: string, reason: string): Promise<void> {
    return this.call(async () => {
      const [entry] = (await this.redis.xrange(this.keys.notifications(), entryId, entryId)) as StreamEntry[];
      const multi = this.redis.multi();
      if (entry) multi.xadd(this.keys.deadLetters(), '*', ...entry[1], 'reason', reason, 'entry', entryId);
      await multi
        .xack(this.keys.notifications(), GROUP, entryId)
        .xdel(this.keys.notifications(), entryId)
        .exec();
    });
  }

  wasShown(noticeId: string): Promise<boolean> {
    return this.call(async () => (await this.redis.exists(this.keys.delivered(noticeId))) === 1);
  }

  markShown(noticeId: string): Promise<void> {
    return this.call(async () => {
      // Stryker disable next-line StringLiteral: wasShown asks only whether the key exists
      await this.redis.set(this.keys.delivered(noticeId), '1', 'EX', SHOWN_TTL_SECONDS);
    });
  }

  pendingCount(): Promise<number> {
    return this.call(async () => this.redis.xlen(this.keys.notifications()));
  }

  private ensureGroup(): Promise<void> {
    this.groupReady ??= this.redis.xgroup('CREATE', this.keys.notifications(), GROUP, '0', 'MKSTREAM').then(
      () => undefined,
      (error: Error) => {
        if (!error.message.includes('BUSYGROUP')) {
          this.groupReady = undefined;
          throw error;
        }
      },
    );
    return this.groupReady;
  }

  /** A stream lost with its group (RedisClient flushed or restarted without data) gets a new group next time. */
  private async call<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await storeCall(this.redis, operation);
    } catch (error) {
      if (error instanceof Error && error.message.includes('NOGROUP')) this.groupReady = undefined;
      throw error;
    }
  }
}

/** An unreadable entry yields nothing: it stays pending until the dispatcher dead-letters it. */
function toDelivery([entryId, fields]: StreamEntry, attempts: number): Delivery[] {
  const index = fields.indexOf('notice');
  try {
    return [{ entryId, notice: JSON.parse(fields[index + 1] ?? '') as Notice, attempts }];
  } catch {
    return [];
  }
}
