/**
 * The log socket's wire format, shared by the server and the browser page (types and constants only).
 * The server sends JSON text frames; the client sends nothing, and resumes by reconnecting to
 * `/logs/<id>?since=<ts>&skip=<n>`: `since` is the Docker timestamp of the last line it has, `skip`
 * how many lines with exactly that timestamp it has (Docker may stamp several lines alike).
 */

export interface WireLine {
  readonly stream: 'stdout' | 'stderr';
  /** Docker's RFC 3339 timestamp with nanoseconds; sorts as text. */
  readonly ts: string;
  /** At most MAX_LINE_CHARS. */
  readonly text: string;
  /** The container's line went on past MAX_LINE_CHARS without a newline; the rest is the next line. */
  readonly cut?: true;
}

/** Lines longer than this are sent (and kept as final logs) in pieces, each marked `cut`. */
export { MAX_LOG_LINE_CHARS as MAX_LINE_CHARS } from '../../core/ports/container-runtime.js';

export type ServerMessage =
  /** New lines, oldest first; the first message after connecting holds the backlog. */
  | { readonly type: 'lines'; readonly lines: readonly WireLine[] }
  /** This many lines were dropped because the viewer fell behind; later lines follow. */
  | { readonly type: 'gap'; readonly skipped: number };

/** Close codes: 1001 when the server shuts down, 1011 when the log stream failed (reconnect later). */
export const CLOSE_CODES = {
  goingAway: 1001,
  streamFailed: 1011,
  /** The lease ended (stopped, or expired and removed): read its final logs. */
  leaseEnded: 4000,
  /** The lease still exists but its container is not running. */
  containerStopped: 4001,
  /** The lease is still being provisioned: reconnect in a moment. */
  leaseStarting: 4002,
  /** The viewer stayed too far behind for too long and was dropped: reconnect to resume. */
  tooSlow: 4008,
} as const;

export const RESUME_PARAMS = { since: 'since', skip: 'skip' } as const;
