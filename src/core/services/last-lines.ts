import type { LogLine } from '../ports/container-runtime.js';

/**
 * The last `capacity` log lines pushed, oldest first, in a ring: holding them costs `capacity`
 * slots however many come, and each push takes constant time.
 */
export class LastLines {
  private readonly ring: LogLine[] = [];
  /** Where the next push goes once the ring is full: the oldest line. */
  private oldest = 0;

  constructor(private readonly capacity: number) {}

  push(line: LogLine): void {
    if (this.ring.length < this.capacity) {
      this.ring.push(line);
      return;
    }
    this.ring[this.oldest] = line;
    this.oldest = (this.oldest + 1) % this.capacity;
  }

  /** The lines held, oldest first. */
  lines(): LogLine[] {
    return [...this.ring.slice(this.oldest), ...this.ring.slice(0, this.oldest)];
  }
}
