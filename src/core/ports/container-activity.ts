import type { Lease } from '../domain/lease.js';

/** How a terminal session ended. */
export type TerminalEndKind = 'exit' | 'idle' | 'lease-ended' | 'container-stopped' | 'closed';

/** The lease something happened in, as much of it as an audit entry names. */
export type ActivityLease = Pick<Lease, 'id' | 'owner' | 'team' | 'imageType'>;

/** Only those fields of `lease`: a lease view also carries signed links, which no record keeps. */
export function activityLease({ id, owner, team, imageType }: ActivityLease): ActivityLease {
  return { id, owner, team, imageType };
}

/** A terminal session whose shell has started. */
export interface TerminalOpenRecord {
  readonly sessionId: string;
  readonly lease: ActivityLease;
  /** Who opened it (the owner, or an admin). */
  readonly actor: string;
}

/** One terminal session, told once it is over. */
export interface TerminalRecord extends TerminalOpenRecord {
  /** Epoch milliseconds. */
  readonly openedAt: number;
  readonly closedAt: number;
  /** Bytes typed (and pasted) into it, and bytes it printed. */
  readonly bytesIn: number;
  readonly bytesOut: number;
  readonly end: TerminalEndKind;
  readonly exitCode?: number | null;
}

/** One command run by `/lease exec` or the API. */
export interface CommandRecord {
  readonly lease: ActivityLease;
  /** Who ran it (the owner, or an admin). */
  readonly actor: string;
  readonly command: string;
  /** Null when it was killed (timed out, or its caller went away) or the engine does not know. */
  readonly exitCode: number | null;
  readonly timedOut: boolean;
  readonly durationMs: number;
  readonly outputBytes: number;
}

/**
 * What people did inside their containers, in one place: a structured log line and an audit entry
 * per event (services/logged-activity.ts, services/audited-activity.ts, composed by
 * services/composed-activity.ts). Told after the fact and never awaited: a failure to tell must not end a terminal
 * or fail a command.
 */
export interface ContainerActivity {
  terminalOpened(record: TerminalOpenRecord): void;
  terminalClosed(record: TerminalRecord): void;
  commandRan(record: CommandRecord): void;
}
