import type { WebSocket } from 'ws';
import type { LogLine } from '../../core/ports/container-runtime.js';
import { CLOSE_CODES, type ServerMessage } from './log-protocol.js';
import { type Cursor, ResumeFilter } from './resume-cursor.js';

/** How far one viewer may fall behind before lines are dropped for it, and for how long. */
export interface BackpressureLimits {
  /** Queued bytes above which lines are skipped for this viewer. @defaultValue 1 MiB */
  readonly highWaterBytes: number;
  /** Skipping ends once the queue drains below this. @defaultValue highWaterBytes / 4 */
  readonly lowWaterBytes?: number;
  /** A viewer that keeps skipping this long is dropped (close 4008). @defaultValue 30000 */
  readonly maxBehindMs: number;
}

export const DEFAULT_BACKPRESSURE: BackpressureLimits = { highWaterBytes: 1024 * 1024, maxBehindMs: 30_000 };

/** A batch of lines with its frame serialized once for every viewer. */
export interface Batch {
  readonly lines: readonly LogLine[];
  readonly frame: Buffer;
}

export function frameOf(message: ServerMessage): Buffer {
  return Buffer.from(JSON.stringify(message));
}

/**
 * One WebSocket watching a log. Sends a batch unless the socket's queue (`bufferedAmount`) is over
 * the high-water mark; then it skips lines, counting them, and sends a `gap` marker once the queue
 * has drained. Its memory is thereby bounded by the high-water mark plus one batch, whatever the
 * reader does; one that stays behind for `maxBehindMs` is closed.
 */
export class LogViewer {
  private readonly filter: ResumeFilter;
  private skipped = 0;
  private behindSince = 0;
  /** Lines this viewer lost to backpressure, over its life. */
  skippedTotal = 0;

  constructor(
    readonly socket: WebSocket,
    cursor: Cursor | undefined,
    private readonly limits: BackpressureLimits,
    private readonly now: () => number = Date.now,
  ) {
    this.filter = new ResumeFilter(cursor);
  }

  get bufferedAmount(): number {
    return this.socket.bufferedAmount;
  }

  deliver(batch: Batch): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    const shared = this.filter.open;
    const lines = shared ? batch.lines : batch.lines.filter((line) => this.filter.admits(line));
    if (lines.length === 0) return;
    if (this.isBehind()) {
      this.skip(lines.length);
      return;
    }
    if (this.skipped > 0) {
      this.socket.send(frameOf({ type: 'gap', skipped: this.skipped }), { binary: false });
      this.skipped = 0;
    }
    this.socket.send(shared ? batch.frame : frameOf({ type: 'lines', lines }), { binary: false });
  }

  close(code: number, reason: string): void {
    if (this.socket.readyState === this.socket.OPEN || this.socket.readyState === this.socket.CONNECTING) {
      this.socket.close(code, reason);
    }
  }

  private isBehind(): boolean {
    const high = this.limits.highWaterBytes;
    const threshold = this.skipped > 0 ? (this.limits.lowWaterBytes ?? high / 4) : high;
    return this.socket.bufferedAmount > threshold;
  }

  private skip(count: number): void {
    if (this.skipped === 0) this.behindSince = this.now();
    this.skipped += count;
    this.skippedTotal += count;
    if (this.now() - this.behindSince < this.limits.maxBehindMs) return;
    // The close frame waits behind the queue the reader is not reading; do not wait for it.
    this.socket.close(CLOSE_CODES.tooSlow, 'viewer too slow; reconnect to resume');
    setTimeout(() => this.socket.terminate(), 1_000).unref();
  }
}
