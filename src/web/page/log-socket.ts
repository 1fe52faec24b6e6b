import { CLOSE_CODES, RESUME_PARAMS, type ServerMessage, type WireLine } from '../logs/log-protocol.js';
import { CursorTracker } from '../logs/resume-cursor.js';

export interface LogSocketEvents {
  lines(lines: readonly WireLine[]): void;
  gap(skipped: number): void;
  /** `live`, `reconnecting in Ns`, … for the status line. */
  status(text: string): void;
  /** The lease ended (4000) or its container stopped (4001): no reconnect. */
  ended(code: number, reason: string): void;
}

const MAX_BACKOFF_MS = 15_000;

/**
 * The log socket with reconnection: after a drop it reconnects with backoff and resumes after the
 * last line it received (`since`/`skip`), so no line is shown twice. The session cookie set by the
 * signed link authenticates it; the token is never in this URL.
 */
export class LogSocket {
  readonly tracker = new CursorTracker();
  private attempt = 0;
  private stopped = false;

  constructor(
    private readonly leaseId: string,
    private readonly events: LogSocketEvents,
  ) {}

  start(): void {
    this.open();
  }

  private url(): string {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const url = new URL(`${scheme}://${location.host}/logs/${encodeURIComponent(this.leaseId)}`);
    const cursor = this.tracker.cursor;
    if (cursor) {
      url.searchParams.set(RESUME_PARAMS.since, cursor.ts);
      url.searchParams.set(RESUME_PARAMS.skip, String(cursor.count));
    }
    return url.toString();
  }

  private open(): void {
    const socket = new WebSocket(this.url());
    socket.addEventListener('open', () => {
      this.attempt = 0;
      this.events.status('live');
    });
    socket.addEventListener('message', (event) => this.receive(String(event.data)));
    socket.addEventListener('close', (event) => this.closed(event.code, event.reason));
  }

  private receive(data: string): void {
    const message = JSON.parse(data) as ServerMessage;
    if (message.type === 'gap') {
      this.events.gap(message.skipped);
      return;
    }
    for (const line of message.lines) this.tracker.note(line);
    this.events.lines(message.lines);
  }

  private closed(code: number, reason: string): void {
    if (this.stopped) return;
    if (code === CLOSE_CODES.leaseEnded || code === CLOSE_CODES.containerStopped) {
      this.stopped = true;
      this.events.ended(code, reason);
      return;
    }
    const delay =
      code === CLOSE_CODES.leaseStarting ? 2_000 : Math.min(1_000 * 2 ** this.attempt, MAX_BACKOFF_MS);
    this.attempt += 1;
    this.events.status(
      `disconnected${reason ? ` (${reason})` : ''}; reconnecting in ${Math.round(delay / 1000)}s`,
    );
    setTimeout(() => this.open(), delay);
  }
}
