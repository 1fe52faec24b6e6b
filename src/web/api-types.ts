/**
 * The JSON the API returns, as types only: the server renders them (lease-json.ts) and the browser
 * page reads them, so this file imports nothing.
 */

/** A lease; times are ISO 8601 in UTC. */
export interface LeaseJson {
  readonly id: string;
  readonly owner: string;
  readonly imageType: string;
  readonly image: string;
  readonly containerId: string;
  readonly status: 'provisioning' | 'active' | 'cleaning';
  readonly containerState: 'running' | 'stopped' | 'gone' | 'unknown' | 'pending';
  readonly createdAt: string;
  readonly expiryTime: string;
  /** No extension moves `expiryTime` past this. */
  readonly maxExpiryTime: string;
  /** The signed link to the lease's log page. */
  readonly logsUrl: string;
  /** The signed link to the lease's terminal page (owner and admins). */
  readonly terminalUrl: string;
}

/** `POST /api/containers/<id>/terminal`: a single-use ticket and the socket URL carrying it. */
export interface TerminalTicketJson {
  readonly ticket: string;
  /** `ws(s)://…/terminal/<id>?ticket=…` */
  readonly url: string;
  /** ISO 8601; the ticket opens one socket before then. */
  readonly expiresAt: string;
}

/** `POST /api/containers/<id>/exec`. */
export interface ExecResultJson {
  /** Null when the command was killed (its timeout, or the caller went away). */
  readonly exitCode: number | null;
  /** stdout and stderr together, at most 1 MiB of them. */
  readonly output: string;
  readonly truncated: boolean;
  readonly durationMs: number;
  readonly timedOut: boolean;
}

export interface ImageJson {
  readonly name: string;
  readonly image: string;
  readonly description: string;
  /** Longest lease or extension for this image. */
  readonly maxMinutes: number;
}

export interface MeJson {
  readonly owner: string;
  readonly isAdmin: boolean;
  readonly via: 'bearer' | 'session' | 'link';
}

export interface ErrorJson {
  readonly error: { readonly code: string; readonly message: string };
}
