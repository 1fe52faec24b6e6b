import type { Notice } from '../../src/core/domain/notice.js';
import type { Clock } from '../../src/core/ports/clock.js';
import type { Delivery, NoticeOutbox, PendingEntry } from '../../src/core/ports/notice-outbox.js';

interface Entry {
  readonly seq: number;
  readonly notice: Notice;
  /** How many times it was handed out; 0: still new. */
  attempts: number;
  lastHandedOutAt: number;
}

/**
 * The notice outbox in memory, following the Redis Stream with one consumer group: an entry is
 * new until read, then pending (with its delivery count and idle time by `clock`) until
 * acknowledged or dead-lettered. Entry ids are `<n>-0` in queueing order, as XADD's are.
 */
export class InMemoryNoticeOutbox implements NoticeOutbox {
  readonly deadLetters: Array<{ notice: Notice; reason: string }> = [];
  private readonly entries = new Map<string, Entry>();
  private readonly shown = new Set<string>();
  private sequence = 0;

  constructor(private readonly clock: Clock) {}

  async enqueue(notice: Notice): Promise<void> {
    this.sequence += 1;
    this.entries.set(`${this.sequence}-0`, { seq: this.sequence, notice, attempts: 0, lastHandedOutAt: 0 });
  }

  /** With nothing new, waits `blockMs` of real time as a blocked read would (0: not at all, where Redis waits for ever). */
  async readNew(_consumer: string, count: number, blockMs: number): Promise<Delivery[]> {
    const fresh = [...this.entries].filter(([, entry]) => entry.attempts === 0).slice(0, count);
    if (fresh.length === 0 && blockMs > 0) await new Promise((resolve) => setTimeout(resolve, blockMs));
    return fresh.map(([entryId, entry]) => this.handOut(entryId, entry));
  }

  async pending(minIdleMs: number, count: number, after?: string): Promise<PendingEntry[]> {
    const from = after === undefined ? 0 : Number.parseInt(after, 10);
    return [...this.entries]
      .filter(([, entry]) => entry.attempts > 0 && entry.seq > from && this.idle(entry) >= minIdleMs)
      .slice(0, count)
      .map(([entryId, entry]) => ({ entryId, attempts: entry.attempts, idleMs: this.idle(entry) }));
  }

  async claim(_consumer: string, pending: readonly PendingEntry[], minIdleMs: number): Promise<Delivery[]> {
    return pending.flatMap(({ entryId }) => {
      const entry = this.entries.get(entryId);
      return entry && this.idle(entry) >= minIdleMs ? [this.handOut(entryId, entry)] : [];
    });
  }

  async ack(entryId: string): Promise<void> {
    this.entries.delete(entryId);
  }

  async deadLetter(entryId: string, reason: string): Promise<void> {
    const entry = this.entries.get(entryId);
    if (entry) this.deadLetters.push({ notice: entry.notice, reason });
    this.entries.delete(entryId);
  }

  async wasShown(noticeId: string): Promise<boolean> {
    return this.shown.has(noticeId);
  }

  async markShown(noticeId: string): Promise<void> {
    this.shown.add(noticeId);
  }

  async pendingCount(): Promise<number> {
    return this.entries.size;
  }

  private handOut(entryId: string, entry: Entry): Delivery {
    entry.attempts += 1;
    entry.lastHandedOutAt = this.clock.now();
    return { entryId, notice: entry.notice, attempts: entry.attempts };
  }

  private idle(entry: Entry): number {
    return this.clock.now() - entry.lastHandedOutAt;
  }
}
