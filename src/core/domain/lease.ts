/** Lifecycle of a lease: provisioning → active → cleaning → (gone: the record is deleted). */
export type LeaseStatus = 'provisioning' | 'active' | 'cleaning';

/**
 * Why a lease's cleaning began, recorded by the store in the same step that marks it `cleaning`,
 * so whether its owner is told "expired" is settled by the store's clock, not by the clock of
 * whichever process finishes the removal. `disk`: the cleanup job stopped it for writing more
 * than CONTAINER_DISK_MB.
 */
export type LeaseEnding = 'expiry' | 'owner' | 'provision-timeout' | 'disk';

/**
 * Where to tell an owner about their lease. Kept apart from `owner` because a Slack user is
 * reached through a DM channel and a Discord user may need a fallback channel.
 */
export interface NotifyTarget {
  /** The chat platform, or `local` for the console and `api` for REST callers. */
  readonly platform: string;
  /** The user on that platform (Slack user id, Discord user id, console user name). */
  readonly user: string;
  /** A channel where the lease was requested, for platforms that fall back to it. */
  readonly channel?: string;
  /** The workspace or team, where the platform has one. */
  readonly team?: string;
}

export interface Lease {
  readonly id: string;
  readonly owner: string;
  readonly notify: NotifyTarget;
  /** What the lease counts against for team quotas and usage (`domain/team.ts`). */
  readonly team: string;
  readonly imageType: string;
  readonly image: string;
  /** Empty until the container exists. */
  readonly containerId: string;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  readonly expiresAt: number;
  /** No extension ever moves `expiresAt` past this. */
  readonly hardCapAt: number;
  readonly status: LeaseStatus;
  /** When the owner was last warned, or 0. */
  readonly warnedAt: number;
  /** The expiry that the last warning was about; an extension changes `expiresAt` and so re-arms it. */
  readonly warnedFor: number;
  /** Set once cleaning has begun. */
  readonly endedBy?: LeaseEnding;
  /** Who stopped it, when a stop (the owner's or an admin's) ended it. */
  readonly stoppedBy?: string;
  /** Why, when an admin said so. */
  readonly stopReason?: string;
}

/** What a caller sees of a lease: the record plus whether its container still runs. */
export interface LeaseView extends Lease {
  readonly containerState: ContainerState;
  /** The signed link to the lease's live log page. */
  readonly logsUrl: string;
  /** The signed link to the lease's terminal page. */
  readonly terminalUrl: string;
}

export type ContainerState = 'running' | 'stopped' | 'gone' | 'unknown' | 'pending';

export const MINUTE_MS = 60_000;
