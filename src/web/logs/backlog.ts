import type { LogLine } from '../../core/ports/container-runtime.js';

/** The last `capacity` lines of a stream, for viewers who join late. A ring: adding is O(1). */
export class Backlog {
  private readonly ring: Array<LogLine | undefined>;
  private next = 0;
  private size = 0;

  constructor(readonly capacity: number) {
    this.ring = new Array<LogLine | undefined>(capacity);
  }

  add(line: LogLine): void {
    if (this.capacity === 0) return;
    this.ring[this.next] = line;
    this.next = (this.next + 1) % this.capacity;
    this.size = Math.min(this.size + 1, this.capacity);
  }

  /** Oldest first. */
  lines(): LogLine[] {
    const start = (this.next - this.size + this.capacity) % this.capacity;
    const lines: LogLine[] = [];
    for (let i = 0; i < this.size; i += 1) {
      const line = this.ring[(start + i) % this.capacity];
      if (line) lines.push(line);
    }
    return lines;
  }
}
