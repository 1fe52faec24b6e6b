import { setTimeout as delay } from 'node:timers/promises';

export interface PacerOptions {
  /** Least time from one message's end to the next's start, per channel. @defaultValue 1000 (Slack: about one a second) */
  readonly intervalMs?: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<unknown>;
}

/**
 * Queues sends per channel: one at a time, spaced by `intervalMs`, so a burst of notices to one
 * person stays within chat.postMessage's per-channel rate. Different channels do not wait for each other.
 * The interval counts from the end of the previous send, not its start: Slack counts messages as they
 * arrive, and a request slow to get there would otherwise arrive less than an interval before the next.
 */
export class ChannelPacer {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly lastSentAt = new Map<string, number>();
  private readonly intervalMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<unknown>;

  constructor(options: PacerOptions = {}) {
    this.intervalMs = options.intervalMs ?? 1_000;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? delay;
  }

  async send<T>(channel: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(channel) ?? Promise.resolve();
    let release = () => {};
    const turn = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => turn);
    this.tails.set(channel, tail);
    await previous;
    try {
      const wait = (this.lastSentAt.get(channel) ?? Number.NEGATIVE_INFINITY) + this.intervalMs - this.now();
      if (wait > 0) await this.sleep(wait);
      return await task();
    } finally {
      this.lastSentAt.set(channel, this.now());
      release();
      if (this.tails.get(channel) === tail) this.tails.delete(channel);
      this.forgetQuietChannels();
    }
  }

  /** Channels quiet for longer than the interval need no memory. */
  private forgetQuietChannels(): void {
    if (this.lastSentAt.size < 1_000) return;
    const cutoff = this.now() - this.intervalMs;
    for (const [channel, at] of this.lastSentAt) if (at < cutoff) this.lastSentAt.delete(channel);
  }
}
