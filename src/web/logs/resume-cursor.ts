/**
 * Where a reader is in a container's log: the timestamp of the last line it has, and how many lines
 * it has with exactly that timestamp. Pure code, shared with the browser page.
 */
export interface Cursor {
  readonly ts: string;
  readonly count: number;
}

/** Follows the lines a reader receives and knows its cursor. */
export class CursorTracker {
  private last: Cursor | undefined;

  note(line: { readonly ts: string }): void {
    if (line.ts === '') return;
    this.last =
      this.last !== undefined && this.last.ts === line.ts
        ? { ts: line.ts, count: this.last.count + 1 }
        : { ts: line.ts, count: 1 };
  }

  get cursor(): Cursor | undefined {
    return this.last;
  }
}

/**
 * Admits only lines after a cursor: older timestamps are dropped, then the first `count` lines with
 * the cursor's timestamp; from the first line past the cursor on, everything passes. Docker stamps
 * stdout and stderr separately, so a line of one stream a few microseconds older than the cursor may
 * be dropped right at the cursor; nothing else is lost or repeated.
 */
export class ResumeFilter {
  private passing: boolean;
  private seenAtCursor = 0;

  constructor(private readonly cursor: Cursor | undefined) {
    this.passing = cursor === undefined;
  }

  /** True once every further line passes. */
  get open(): boolean {
    return this.passing;
  }

  admits(line: { readonly ts: string }): boolean {
    if (this.passing || this.cursor === undefined) return true;
    if (line.ts === '') return true;
    if (line.ts < this.cursor.ts) return false;
    if (line.ts === this.cursor.ts && this.seenAtCursor < this.cursor.count) {
      this.seenAtCursor += 1;
      return false;
    }
    this.passing = true;
    return true;
  }
}

/** The cursor of `?since=<ts>&skip=<n>`, or undefined (start from the backlog). */
export function parseCursor(since: string | null, skip: string | null): Cursor | undefined {
  if (since === null || !/^\d{4}-\d\d-\d\dT[0-9:.]+Z$/.test(since)) return undefined;
  const count = skip !== null && /^\d{1,9}$/.test(skip) ? Number(skip) : 0;
  return { ts: since, count };
}
