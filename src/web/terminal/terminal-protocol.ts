/**
 * The terminal socket's wire format, shared by the server and the browser page (types and constants
 * only). Binary frames carry the terminal's bytes, untouched, both ways: what is typed to the shell,
 * what the shell prints to the page. Text frames carry JSON control messages.
 */

/** From the client. The first frame should be a resize: the shell starts at that size (80×24 otherwise). */
export type ClientControl = { readonly type: 'resize'; readonly cols: number; readonly rows: number };

export type ServerControl =
  /** The shell exited (with its exit code, null when unknown); the socket then closes with 1000. */
  | { readonly type: 'exit'; readonly code: number | null }
  /** The terminal was closed for this reason (lease ended, container stopped, idle…); a close code follows. */
  | { readonly type: 'ended'; readonly reason: string }
  /** A control message was refused (a size out of range, not JSON); the terminal goes on. */
  | { readonly type: 'error'; readonly code: string; readonly message: string };

export const TERMINAL_CLOSE_CODES = {
  /** The shell exited. */
  shellExited: 1000,
  /** The server is shutting down. */
  goingAway: 1001,
  /** A frame was larger than TERMINAL_MAX_FRAME_BYTES (sent by the ws library). */
  tooBig: 1009,
  /** The shell could not be started, or the connection to it failed. */
  failed: 1011,
  /** The lease ended (stopped, or expired and removed). */
  leaseEnded: 4000,
  /** The lease exists but its container is not running. */
  containerStopped: 4001,
  /** The lease is still being provisioned: reconnect in a moment. */
  leaseStarting: 4002,
  /** The lease has TERMINAL_MAX_PER_LEASE terminals open already. */
  tooMany: 4003,
  /** Nothing was typed or printed for TERMINAL_IDLE_MINUTES. */
  idle: 4004,
} as const;

/** The largest frame a client may send; a paste is sent in pieces of at most TERMINAL_PASTE_CHUNK. */
export const TERMINAL_MAX_FRAME_BYTES = 64 * 1024;
export const TERMINAL_PASTE_CHUNK = 16 * 1024;

/** `?ticket=` of the socket URL, for callers without cookies (scripts, after `POST …/terminal`). */
export const TICKET_PARAM = 'ticket';
