/**
 * The JSON the API returns, as types only: the server renders them (lease-json.ts) and the browser
 * page reads them, so this file imports nothing.
 */

/** A lease; times are ISO 8601 in UTC. */
export interface LeaseJson {
  readonly id: string;
  readonly owner: string;
  /** What the lease counts against for team quotas and usage: `slack:<T>`, `discord:<guild>`, `api`, `local`. */
  readonly team: string;
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

/** A signed link to one port of a lease on the port proxy (`POST /api/containers/<id>/ports/<port>/link`). */
export interface PortLinkJson {
  readonly url: string;
  /** ISO 8601: the link and the cookie it sets work until then (the lease's hard cap). */
  readonly expiresAt: string;
}

/** What `POST /api/provision` answers: the lease, and the link to the port it was asked to open. */
export interface ProvisionedJson extends LeaseJson {
  readonly portLink?: PortLinkJson & { readonly port: number };
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

/** One entry of `GET /api/audit` (admins). */
export interface AuditEntryJson {
  readonly id: string;
  readonly at: number;
  /** ISO 8601 of `at`. */
  readonly time: string;
  readonly actor: string;
  readonly action: string;
  readonly leaseId: string;
  readonly owner: string;
  readonly team: string;
  readonly image: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly outcome: string;
}

/** Lease-minutes of one owner, team or image in `GET /api/usage`. */
export interface UsageRowJson {
  readonly key: string;
  readonly minutes: number;
  readonly leases: number;
}

/** `GET /api/usage?days=` (admins). */
export interface UsageJson {
  readonly days: number;
  readonly totalMinutes: number;
  readonly byOwner: readonly UsageRowJson[];
  readonly byTeam: readonly UsageRowJson[];
  readonly byImage: readonly UsageRowJson[];
  /** True when the window held more entries than one report reads. */
  readonly partial: boolean;
}
