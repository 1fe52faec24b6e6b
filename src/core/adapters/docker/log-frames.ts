import type { LogLine } from '../../ports/container-runtime.js';

const HEADER_BYTES = 8;
const STREAM_NAMES: Record<number, LogLine['stream']> = { 1: 'stdout', 2: 'stderr' };

/**
 * Splits Docker's multiplexed log stream (8-byte frame headers) into timestamped lines, keeping the
 * order in which stdout and stderr were written. Partial frames and partial lines wait for more input.
 */
export class LogFrameParser {
  private pending: Buffer = Buffer.alloc(0);
  private readonly partial: Record<LogLine['stream'], string> = { stdout: '', stderr: '' };

  push(chunk: Buffer): LogLine[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const lines: LogLine[] = [];
    while (this.pending.length >= HEADER_BYTES) {
      const size = this.pending.readUInt32BE(4);
      if (this.pending.length < HEADER_BYTES + size) break;
      const stream = STREAM_NAMES[this.pending[0] ?? 1] ?? 'stdout';
      const payload = this.pending.subarray(HEADER_BYTES, HEADER_BYTES + size).toString('utf8');
      this.pending = this.pending.subarray(HEADER_BYTES + size);
      lines.push(...this.splitLines(stream, payload));
    }
    return lines;
  }

  /** Whatever is left when the stream ends, as final lines. */
  flush(): LogLine[] {
    const lines: LogLine[] = [];
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.partial[stream] !== '') lines.push(toLine(stream, this.partial[stream]));
      this.partial[stream] = '';
    }
    return lines;
  }

  private splitLines(stream: LogLine['stream'], payload: string): LogLine[] {
    const parts = (this.partial[stream] + payload).split('\n');
    this.partial[stream] = parts.pop() ?? '';
    return parts.map((part) => toLine(stream, part));
  }
}

/** Docker puts `2026-11-29T00:00:00.123456789Z ` before each line when asked for timestamps. */
function toLine(stream: LogLine['stream'], raw: string): LogLine {
  const space = raw.indexOf(' ');
  const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  if (space > 0 && /^\d{4}-\d\d-\d\dT/.test(raw))
    return { stream, ts: raw.slice(0, space), text: text.slice(space + 1) };
  return { stream, ts: '', text };
}
