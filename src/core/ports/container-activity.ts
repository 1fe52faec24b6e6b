/** How a terminal session ended. */
export type TerminalEndKind = 'exit' | 'idle' | 'lease-ended' | 'container-stopped' | 'closed';

/** One terminal session, told once it is over. */
export interface TerminalRecord {
  readonly sessionId: string;
  readonly leaseId: string;
  /** Who opened it (the owner, or an admin). */
  readonly owner: string;
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
  readonly leaseId: string;
  readonly owner: string;
  readonly command: string;
  /** Null when it was killed (timed out, or its caller went away) or the engine does not know. */
  readonly exitCode: number | null;
  readonly timedOut: boolean;
  readonly durationMs: number;
  readonly outputBytes: number;
}

/**
 * What people did inside their containers, in one place: today one structured log line per
 * terminal session and per command; an audit trail can record the same events here.
 */
export interface ContainerActivity {
  terminalClosed(record: TerminalRecord): void;
  commandRan(record: CommandRecord): void;
}
