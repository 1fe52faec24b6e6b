import type { Notice } from '../domain/notice.js';

/** A notice handed to this consumer, with how many times it has been handed out so far. */
export interface Delivery {
  /** The entry's id in the outbox. */
  readonly entryId: string;
  readonly notice: Notice;
  readonly attempts: number;
}

/** An entry that stayed pending, with how many times it has been handed out and how long ago. */
export interface PendingEntry {
  readonly entryId: string;
  readonly attempts: number;
  readonly idleMs: number;
}

/**
 * The notification outbox: notices are queued by the cleanup job and delivered by a dispatcher in
 * the bot process, at least once. A delivered notice is acknowledged; one that fails stays pending
 * and is claimed back later; one that keeps failing goes to the dead letters.
 */
export interface NoticeOutbox {
  enqueue(notice: Notice): Promise<void>;
  /** New notices for this consumer, waiting up to `blockMs` for one to arrive. */
  readNew(consumer: string, count: number, blockMs: number): Promise<Delivery[]>;
  /**
   * Up to `count` entries pending for at least `minIdleMs` (their consumer failed or died), oldest
   * first, from just after the entry `after` when given: the way to page through all of them.
   */
  pending(minIdleMs: number, count: number, after?: string): Promise<PendingEntry[]>;
  /** Takes pending entries over for this consumer; each one's attempts go up by one. */
  claim(consumer: string, entries: readonly PendingEntry[], minIdleMs: number): Promise<Delivery[]>;
  ack(entryId: string): Promise<void>;
  deadLetter(entryId: string, reason: string): Promise<void>;
  /** Whether a notice with this id was delivered before: a redelivered notice is shown once. */
  wasShown(noticeId: string): Promise<boolean>;
  markShown(noticeId: string): Promise<void>;
  pendingCount(): Promise<number>;
}
