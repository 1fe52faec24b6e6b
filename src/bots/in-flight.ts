import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The work still running after its ack (a provision, a follow-up message), so that stopping the bot
 * can let it finish and the user still hears how their command ended.
 */
export class InFlight {
  private readonly running = new Set<Promise<unknown>>();

  track<T>(work: Promise<T>): Promise<T> {
    this.running.add(work);
    const forget = () => this.running.delete(work);
    work.then(forget, forget);
    return work;
  }

  get size(): number {
    return this.running.size;
  }

  /** Waits for what is running now, at most `timeoutMs`. */
  async settle(timeoutMs: number): Promise<void> {
    if (this.running.size === 0) return;
    const timer = new AbortController();
    await Promise.race([
      Promise.allSettled([...this.running]),
      sleep(timeoutMs, undefined, { signal: timer.signal }).catch(() => undefined),
    ]);
    timer.abort();
  }
}
