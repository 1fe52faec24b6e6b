import { StringDecoder } from 'node:string_decoder';
import { type LogLine, MAX_LOG_LINE_CHARS } from '../../ports/container-runtime.js';
import { type AssembledLine, LineAssembler } from './line-assembler.js';

const HEADER_BYTES = 8;
/** Docker's stamp before each message when asked for timestamps: `2026-11-29T00:00:00.123456789Z `. */
const STAMP = /^\d{4}-\d\d-\d\dT[\d:.]+(?:Z|[+-]\d\d:\d\d) /;
/** Enough bytes to hold a stamp (30 with nanoseconds, a few more with an offset). */
const STAMP_BYTES = 40;

type StreamName = LogLine['stream'];

/** What one output stream (stdout or stderr) has received of its unfinished line. */
class StreamText {
  /** Keeps a character whose bytes Docker split across two messages whole. */
  readonly decoder = new StringDecoder('utf8');
  readonly lines = new LineAssembler(MAX_LOG_LINE_CHARS);
  /** The stamp of the message the unfinished line started in. */
  lineTs = '';
}

/**
 * Splits Docker's multiplexed log stream into timestamped lines, keeping the order in which stdout
 * and stderr were written. Each frame is one message of the log driver, which stamps it and, for
 * output without a newline, ends it after 16 KiB and stamps the next part again: so the stamp is
 * taken off each frame, and the line continues across frames. Input is read once, as it arrives
 * (a frame's payload need not have arrived whole), and nothing is kept but one unfinished line per
 * stream, cut at MAX_LOG_LINE_CHARS: the work is linear in the input and the memory bounded.
 */
export class LogFrameParser {
  private readonly header = Buffer.alloc(HEADER_BYTES);
  private headerFill = 0;
  private readonly stamp = Buffer.alloc(STAMP_BYTES);
  private stampFill = 0;
  private stampWanted = 0;
  /** Payload bytes of the current frame after its stamp part, not yet read. */
  private bodyLeft = 0;
  private phase: 'header' | 'stamp' | 'body' = 'header';
  private stream: StreamName = 'stdout';
  private frameTs = '';
  private readonly streams: Record<StreamName, StreamText> = {
    stdout: new StreamText(),
    stderr: new StreamText(),
  };

  /** Characters of unfinished lines held now (at most MAX_LOG_LINE_CHARS per stream). */
  get pendingChars(): number {
    return this.streams.stdout.lines.pendingChars + this.streams.stderr.lines.pendingChars;
  }

  push(chunk: Buffer): LogLine[] {
    const lines: LogLine[] = [];
    let offset = 0;
    while (offset < chunk.length) {
      if (this.phase === 'header') offset = this.readHeader(chunk, offset);
      else if (this.phase === 'stamp') offset = this.readStamp(chunk, offset, lines);
      else {
        const end = Math.min(chunk.length, offset + this.bodyLeft);
        this.text(this.stream, chunk.subarray(offset, end), lines);
        this.bodyLeft -= end - offset;
        offset = end;
        if (this.bodyLeft === 0) this.phase = 'header';
      }
    }
    return lines;
  }

  /** Whatever is left when the stream ends, as final lines. */
  flush(): LogLine[] {
    const lines: LogLine[] = [];
    for (const name of ['stdout', 'stderr'] as const) {
      const state = this.streams[name];
      this.append(name, state.decoder.end(), lines);
      state.lines.flush((line) => lines.push(this.line(name, line)));
    }
    return lines;
  }

  private readHeader(chunk: Buffer, offset: number): number {
    const taken = chunk.copy(this.header, this.headerFill, offset, offset + HEADER_BYTES - this.headerFill);
    this.headerFill += taken;
    if (this.headerFill < HEADER_BYTES) return offset + taken;
    this.headerFill = 0;
    this.stream = this.header[0] === 2 ? 'stderr' : 'stdout';
    const size = this.header.readUInt32BE(4);
    this.stampWanted = Math.min(size, STAMP_BYTES);
    this.bodyLeft = size - this.stampWanted;
    this.phase = size === 0 ? 'header' : 'stamp';
    return offset + taken;
  }

  private readStamp(chunk: Buffer, offset: number, lines: LogLine[]): number {
    const taken = chunk.copy(this.stamp, this.stampFill, offset, offset + this.stampWanted - this.stampFill);
    this.stampFill += taken;
    if (this.stampFill < this.stampWanted) return offset + taken;
    const head = this.stamp.subarray(0, this.stampWanted);
    this.stampFill = 0;
    const match = STAMP.exec(head.toString('latin1'));
    this.frameTs = match ? match[0].slice(0, -1) : '';
    this.text(this.stream, head.subarray(match ? match[0].length : 0), lines);
    this.phase = this.bodyLeft > 0 ? 'body' : 'header';
    return offset + taken;
  }

  /**
   * Decoded a line's length at a time: a line is then a piece of a string no longer than itself,
   * where a piece of a whole 16 KiB message would keep the message alive for as long as the line
   * (in the backlog, for a thousand lines).
   */
  private text(name: StreamName, bytes: Buffer, lines: LogLine[]): void {
    const { decoder } = this.streams[name];
    for (let at = 0; at < bytes.length; at += MAX_LOG_LINE_CHARS) {
      this.append(name, decoder.write(bytes.subarray(at, at + MAX_LOG_LINE_CHARS)), lines);
    }
  }

  private append(name: StreamName, text: string, lines: LogLine[]): void {
    if (text === '') return;
    const state = this.streams[name];
    if (state.lines.pendingChars === 0) state.lineTs = this.frameTs;
    state.lines.push(text, (line) => {
      lines.push(this.line(name, line));
      // The next line starts in the message being read.
      state.lineTs = this.frameTs;
    });
  }

  private line(stream: StreamName, { text, cut }: AssembledLine): LogLine {
    const ts = this.streams[stream].lineTs;
    return cut ? { stream, ts, text, cut: true } : { stream, ts, text };
  }
}
