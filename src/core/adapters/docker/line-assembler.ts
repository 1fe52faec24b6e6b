/** A line as the assembler hands it out: its text, and whether it was cut at the maximum length. */
export interface AssembledLine {
  readonly text: string;
  readonly cut: boolean;
}

/**
 * Puts lines together from pieces of text, in time linear in the input: a piece is scanned once,
 * and the unfinished line is kept as a list of pieces, joined once when it ends. A line that
 * reaches `maxChars` without a newline is handed out there, marked cut, and the text after it
 * starts the next line, so what waits for a newline never exceeds `maxChars`.
 */
export class LineAssembler {
  private pieces: string[] = [];
  private length = 0;

  constructor(private readonly maxChars: number) {}

  /** Characters waiting for the end of their line; never more than `maxChars`. */
  get pendingChars(): number {
    return this.length;
  }

  /** Adds text; `done` is called with each line it completes (newline removed, and a `\r` before it). */
  push(text: string, done: (line: AssembledLine) => void): void {
    let start = 0;
    for (;;) {
      const newline = text.indexOf('\n', start);
      if (newline === -1) {
        this.fill(text, start, text.length, done);
        return;
      }
      this.fill(text, start, newline, done);
      done({ text: withoutReturn(this.take()), cut: false });
      start = newline + 1;
    }
  }

  /** The unfinished line, if any, as a last line (at the end of the stream). */
  flush(done: (line: AssembledLine) => void): void {
    if (this.length > 0) done({ text: withoutReturn(this.take()), cut: false });
  }

  /** Adds `text[start, end)` to the line, handing the line out, cut, each time it is full. */
  private fill(text: string, start: number, end: number, done: (line: AssembledLine) => void): void {
    let from = start;
    while (this.length + (end - from) > this.maxChars) {
      let until = from + (this.maxChars - this.length);
      // Never split a surrogate pair: the halves would be broken characters on both lines.
      if (isHighSurrogate(text.charCodeAt(until - 1)) && this.length + (until - 1 - from) > 0) until -= 1;
      this.add(text.slice(from, until));
      done({ text: this.take(), cut: true });
      from = until;
    }
    if (from < end) this.add(text.slice(from, end));
  }

  private add(piece: string): void {
    this.pieces.push(piece);
    this.length += piece.length;
  }

  private take(): string {
    const line = this.pieces.length === 1 ? (this.pieces[0] as string) : this.pieces.join('');
    this.pieces = [];
    this.length = 0;
    return line;
  }
}

function withoutReturn(text: string): string {
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
