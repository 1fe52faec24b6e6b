import type { LogLine } from '../ports/container-runtime.js';

/**
 * The last `capacity` lines of a stream, and at most `maxChars` of their text, for viewers who join
 * late. A ring: adding is O(1). The text limit matters for long lines: a thousand cut lines of 4 KiB
 * would make a 4 MiB first frame, and lines a flood passes through would live long enough to burden
 * the garbage collector.
 */
export class Backlog {
  private readonly ring: Array<LogLine | undefined>;
  private next = 0;
  private size = 0;
  private chars = 0;

  constructor(
    readonly capacity: number,
    readonly maxChars = Number.POSITIVE_INFINITY,
  ) {
    this.ring = new Array<LogLine | undefined>(capacity);
  }

  add(line: LogLine): void {
    if (this.capacity === 0) return;
    if (this.size === this.capacity) this.dropOldest();
    this.ring[this.next] = line;
    this.next = (this.next + 1) % this.capacity;
    this.size += 1;
    this.chars += line.text.length;
    while (this.chars > this.maxChars && this.size > 1) this.dropOldest();
  }

  /** Oldest first. */
  lines(): LogLine[] {
    const start = this.oldest();
    const lines: LogLine[] = [];
    for (let i = 0; i < this.size; i += 1) {
      const line = this.ring[(start + i) % this.capacity];
      if (line) lines.push(line);
    }
    return lines;
  }

  private oldest(): number {
    return (this.next - this.size + this.capacity) % this.capacity;
  }

  private dropOldest(): void {
    const at = this.oldest();
    this.chars -= this.ring[at]?.text.length ?? 0;
    this.ring[at] = undefined;
    this.size -= 1;
  }
}
