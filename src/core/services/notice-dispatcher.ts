import { setTimeout as sleep } from 'node:timers/promises';
import type { Lease } from '../domain/lease.js';
import { MINUTE_MS } from '../domain/lease.js';
import { platformOf } from '../domain/owner.js';
import { type Clock, systemClock } from '../ports/clock.js';
import type { LeaseStore } from '../ports/lease-store.js';
import type { Logger } from '../ports/logger.js';
import type { Delivery, NoticeOutbox, PendingEntry } from '../ports/notice-outbox.js';
import { type Notifier, RetryLaterError } from '../ports/notifier.js';

export interface DispatcherOptions {
  /** This process's consumer name in the outbox's group. */
  readonly consumer: string;
  /** First retry after this long; each further retry waits twice as long, up to five minutes. @defaultValue 5000 */
  readonly retryBaseMs?: number;
  /** Deliveries before a notice goes to the dead letters. @defaultValue 12 (about half an hour) */
  readonly maxAttempts?: number;
  /** How long one read waits for new notices. @defaultValue 2000 */
  readonly blockMs?: number;
  /** The leases' clock, which says whether a warning's lease has already ended. @defaultValue systemClock */
  readonly clock?: Clock;
  /**
   * The leases as they are now: a warning is queued minutes before its expiry, and by the time it
   * can be delivered its owner may have stopped or extended the lease, which makes it false.
   */
  readonly leases: Pick<LeaseStore, 'get'>;
}

const MAX_BACKOFF_MS = 5 * MINUTE_MS;
const BATCH = 50;
/**
 * Pages of pending entries one pass looks through for retries that are due. The next pass goes on
 * from where this one stopped, so every entry is looked at however many wait out a long backoff.
 */
const MAX_PAGES = 20;

/**
 * Hands each queued notice to the notifier of its owner's platform, acknowledges what was
 * delivered, retries what failed with exponential backoff, and dead-letters what keeps failing.
 * Owners reached only through the REST API have no chat to tell; their notices are settled as read.
 */
export class NoticeDispatcher {
  private readonly notifiers: ReadonlyMap<string, Notifier>;
  private readonly pausedUntil = new Map<string, number>();
  private readonly retryBaseMs: number;
  private readonly maxAttempts: number;
  private readonly blockMs: number;
  private readonly clock: Clock;
  /** The last pending entry looked at, where the next pass goes on; undefined: from the oldest. */
  private scanned: string | undefined;
  private running: Promise<void> | undefined;
  // Stryker disable next-line BooleanLiteral: start() sets it before the loop first reads it, and only the loop reads it
  private stopping = false;

  constructor(
    private readonly outbox: NoticeOutbox,
    notifiers: readonly Notifier[],
    private readonly logger: Logger,
    private readonly options: DispatcherOptions,
  ) {
    this.notifiers = new Map(notifiers.map((notifier) => [notifier.platform, notifier]));
    this.retryBaseMs = options.retryBaseMs ?? 5_000;
    this.maxAttempts = options.maxAttempts ?? 12;
    this.blockMs = options.blockMs ?? 2_000;
    this.clock = options.clock ?? systemClock;
  }

  start(): void {
    this.stopping = false;
    this.running ??= this.loop();
  }

  /** Returns once the pass in progress (at most one blocking read) has finished. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.running;
    this.running = undefined;
  }

  /** One pass: retries that are due, dead letters, then new notices. Returns how many were delivered. */
  async tick(): Promise<number> {
    let delivered = 0;
    for (const delivery of await this.dueRetries()) delivered += await this.deliver(delivery);
    const fresh = await this.outbox.readNew(this.options.consumer, BATCH, this.blockMs);
    for (const delivery of fresh) delivered += await this.deliver(delivery);
    return delivered;
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      try {
        await this.tick();
      } catch (error) {
        this.logger.warn({ error: (error as Error).message }, 'notice dispatcher pass failed; retrying');
        await sleep(1_000);
      }
    }
  }

  /**
   * Up to a batch of pending entries whose backoff has passed, paging through the pending list:
   * entries waiting out a long backoff (one platform down for a while) must not hide later ones
   * that are due, on any platform.
   */
  private async dueRetries(): Promise<Delivery[]> {
    const due: PendingEntry[] = [];
    for (let page = 0; page < MAX_PAGES && due.length < BATCH; page += 1) {
      const entries = await this.outbox.pending(this.retryBaseMs, BATCH, this.scanned);
      for (const entry of entries) {
        this.scanned = entry.entryId;
        if (entry.attempts >= this.maxAttempts) {
          await this.outbox.deadLetter(entry.entryId, `not delivered after ${entry.attempts} attempts`);
          this.logger.error({ entryId: entry.entryId, attempts: entry.attempts }, 'notice dead-lettered');
        } else if (entry.idleMs >= this.backoff(entry.attempts)) {
          due.push(entry);
          if (due.length === BATCH) break;
        }
      }
      if (entries.length < BATCH) {
        this.scanned = undefined;
        break;
      }
    }
    return this.outbox.claim(this.options.consumer, due, this.retryBaseMs);
  }

  private backoff(attempts: number): number {
    return Math.min(this.retryBaseMs * 2 ** Math.max(attempts - 1, 0), MAX_BACKOFF_MS);
  }

  /** Why a warning about the expiry `expiresAt` is no longer true of `lease`, or undefined while it is. */
  private staleWarning(expiresAt: number, lease: Lease | null): string | undefined {
    if (expiresAt <= this.clock.now()) return 'the expiry it announces passed before it could be delivered';
    if (lease?.status !== 'active') return 'its lease has ended';
    if (lease.expiresAt !== expiresAt) return 'its lease was extended since';
    return undefined;
  }

  private async deliver({ entryId, notice, attempts }: Delivery): Promise<number> {
    const platform = notice.notify?.platform || platformOf(notice.owner);
    const log = {
      entryId,
      noticeId: notice.id,
      kind: notice.kind,
      leaseId: notice.leaseId,
      platform,
      attempts,
    };
    if (await this.outbox.wasShown(notice.id)) {
      await this.outbox.ack(entryId);
      return 0;
    }
    if (notice.kind === 'warning') {
      const stale = this.staleWarning(notice.expiresAt, await this.options.leases.get(notice.leaseId));
      if (stale) {
        await this.outbox.ack(entryId);
        this.logger.warn(log, `warning dropped: ${stale}`);
        return 0;
      }
    }
    const notifier = this.notifiers.get(platform);
    if (!notifier) {
      if (platform === 'api') await this.outbox.ack(entryId);
      else await this.outbox.deadLetter(entryId, `no notifier for ${platform}`);
      this.logger.warn(
        log,
        platform === 'api' ? 'notice for an API owner settled' : `no notifier for ${platform}; dead-lettered`,
      );
      return 0;
    }
    if ((this.pausedUntil.get(platform) ?? 0) > Date.now()) return 0;
    try {
      await notifier.deliver(notice);
    } catch (error) {
      if (error instanceof RetryLaterError) this.pausedUntil.set(platform, Date.now() + error.retryAfterMs);
      this.logger.warn(
        { ...log, error: (error as Error).message },
        'notice delivery failed; it stays pending',
      );
      return 0;
    }
    await this.outbox.markShown(notice.id);
    await this.outbox.ack(entryId);
    this.logger.info(log, 'notice delivered');
    return 1;
  }
}
