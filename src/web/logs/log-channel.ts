import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ContainerRuntime, LogLine } from '../../core/ports/container-runtime.js';
import { Backlog } from '../../core/services/backlog.js';
import { frameOf, type LogViewer } from './log-viewer.js';

/** How a channel tells its viewers that the stream is over. */
export interface EndReason {
  readonly code: number;
  readonly reason: string;
}

export interface ChannelOptions {
  readonly runtime: ContainerRuntime;
  readonly containerId: string;
  /** Lines kept for late joiners (at most BACKLOG_MAX_CHARS of text), and read from Docker's history when the stream starts. */
  readonly backlogLines: number;
  /** A batch is sent once it has this many lines (or MAX_BATCH_CHARS of text), or at the end of the current I/O turn. */
  readonly maxBatchLines: number;
  /** Decides why the stream ended (the lease ended, the container stopped, the stream failed). */
  readonly onStreamEnd: (error: unknown) => Promise<EndReason>;
  /** Called once, when the channel has stopped its stream and has no viewers left. */
  readonly onClosed: () => void;
}

/** A batch is also sent once it holds this much text, so a frame stays small however long the lines. */
const MAX_BATCH_CHARS = 64 * 1024;
/** The backlog keeps at most this much text too (its line count is `backlogLines`). */
const BACKLOG_MAX_CHARS = 256 * 1024;

/**
 * One Docker log stream of one container, fanned out to every viewer. Lines are batched per I/O
 * turn and serialized once per batch. The stream is aborted when the last viewer leaves.
 */
export class LogChannel {
  private readonly viewers = new Set<LogViewer>();
  private readonly backlog: Backlog;
  private readonly abort = new AbortController();
  private pending: LogLine[] = [];
  private pendingChars = 0;
  private flushScheduled = false;
  private closed = false;

  constructor(private readonly options: ChannelOptions) {
    this.backlog = new Backlog(options.backlogLines, BACKLOG_MAX_CHARS);
  }

  start(): void {
    void this.pump();
  }

  get viewerCount(): number {
    return this.viewers.size;
  }

  viewerList(): readonly LogViewer[] {
    return [...this.viewers];
  }

  /** Sends the backlog (after the viewer's cursor), then live lines. */
  add(viewer: LogViewer): void {
    // Lines already in the backlog but not yet sent would otherwise reach the newcomer twice.
    this.flush();
    const backlog = this.backlog.lines();
    if (backlog.length > 0)
      viewer.deliver({ lines: backlog, frame: frameOf({ type: 'lines', lines: backlog }) });
    this.viewers.add(viewer);
  }

  remove(viewer: LogViewer): void {
    this.viewers.delete(viewer);
    if (this.viewers.size === 0) this.stop();
  }

  /** Closes every viewer with `code` and stops the stream. */
  closeAll(code: number, reason: string): void {
    for (const viewer of this.viewers) viewer.close(code, reason);
    this.viewers.clear();
    this.stop();
  }

  private stop(): void {
    if (this.closed) return;
    this.closed = true;
    this.abort.abort();
    this.options.onClosed();
  }

  private async pump(): Promise<void> {
    const { runtime, containerId, backlogLines } = this.options;
    let failure: unknown;
    try {
      const lines = runtime.logs(containerId, {
        follow: true,
        tail: backlogLines,
        signal: this.abort.signal,
      });
      for await (const line of lines) {
        if (this.closed) break;
        // After a full batch the stream waits a turn: a container writing as fast as it can must not
        // hold the event loop that also answers requests and the chat platforms' 3-second deadlines.
        if (this.accept(line)) await nextTurn();
      }
    } catch (error) {
      failure = error;
    }
    this.flush();
    if (this.closed) return;
    const end = await this.options.onStreamEnd(failure);
    this.closeAll(end.code, end.reason);
  }

  /**
   * Adds a line to the backlog and the batch; true when that filled the batch and sent it. The
   * runtime cuts lines at MAX_LOG_LINE_CHARS, so the backlog's size is bounded.
   */
  private accept(line: LogLine): boolean {
    this.backlog.add(line);
    this.pending.push(line);
    this.pendingChars += line.text.length;
    if (this.pending.length >= this.options.maxBatchLines || this.pendingChars >= MAX_BATCH_CHARS) {
      this.flush();
      return true;
    }
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
    return false;
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.pending.length === 0) return;
    const lines = this.pending;
    this.pending = [];
    this.pendingChars = 0;
    const batch = { lines, frame: frameOf({ type: 'lines', lines }) };
    for (const viewer of this.viewers) viewer.deliver(batch);
  }
}
