import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineAssembler } from '../../../../../src/core/adapters/docker/line-assembler.js';
import { LogFrameParser } from '../../../../../src/core/adapters/docker/log-frames.js';
import { type LogLine, MAX_LOG_LINE_CHARS } from '../../../../../src/core/ports/container-runtime.js';

function frame(stream: 1 | 2, content: string | Buffer): Buffer {
  const payload = typeof content === 'string' ? Buffer.from(content) : content;
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

const TS = '2026-11-29T10:00:00.000000001Z';
const TS2 = '2026-11-29T10:00:00.000000002Z';

/** What Docker's json-file driver sends for output without a newline: 16 KiB messages, each stamped. */
function unbrokenOutput(bytes: number, piece = 16 * 1024): Buffer {
  const frames: Buffer[] = [];
  for (let sent = 0, n = 0; sent < bytes; sent += piece, n += 1) {
    const ts = `2026-11-29T10:00:00.${String(n).padStart(9, '0')}Z`;
    frames.push(frame(1, `${ts} ${'x'.repeat(Math.min(piece, bytes - sent))}`));
  }
  return Buffer.concat(frames);
}

/** Feeds `input` in pieces of the given sizes (cycling), checking the parser's held text after each. */
function feed(
  parser: LogFrameParser,
  input: Buffer,
  sizes: readonly number[],
): { lines: LogLine[]; mostHeld: number } {
  const lines: LogLine[] = [];
  let mostHeld = 0;
  for (let offset = 0, i = 0; offset < input.length; i += 1) {
    const size = sizes[i % sizes.length] ?? 1;
    lines.push(...parser.push(input.subarray(offset, offset + size)));
    mostHeld = Math.max(mostHeld, parser.pendingChars);
    offset += size;
  }
  return { lines, mostHeld };
}

describe("Docker's multiplexed log stream", () => {
  it('GIVEN stdout and stderr frames THEN lines keep their order and timestamps', () => {
    const parser = new LogFrameParser();
    const lines = parser.push(
      Buffer.concat([frame(1, `${TS} one\n`), frame(2, `${TS} two\n`), frame(1, `${TS} three\n`)]),
    );
    expect(lines).toEqual([
      { stream: 'stdout', ts: TS, text: 'one' },
      { stream: 'stderr', ts: TS, text: 'two' },
      { stream: 'stdout', ts: TS, text: 'three' },
    ]);
  });

  it('GIVEN a frame split across chunks THEN it waits for the rest', () => {
    const parser = new LogFrameParser();
    const whole = frame(1, `${TS} \u001b[31mred\u001b[0m\n`);
    expect(parser.push(whole.subarray(0, 5))).toEqual([]);
    expect(parser.push(whole.subarray(5, 20))).toEqual([]);
    expect(parser.push(whole.subarray(20))).toEqual([
      { stream: 'stdout', ts: TS, text: '\u001b[31mred\u001b[0m' },
    ]);
  });

  it('GIVEN a line without a newline at the end THEN flush returns it', () => {
    const parser = new LogFrameParser();
    expect(parser.push(frame(1, `${TS} partial`))).toEqual([]);
    expect(parser.flush()).toEqual([{ stream: 'stdout', ts: TS, text: 'partial' }]);
  });

  it('GIVEN a line the driver split into stamped messages THEN one line, stamped when it began, without the inner stamp', () => {
    const parser = new LogFrameParser();
    const lines = parser.push(
      Buffer.concat([frame(1, `${TS} first half `), frame(1, `${TS2} second half\r\n`)]),
    );
    expect(lines).toEqual([{ stream: 'stdout', ts: TS, text: 'first half second half' }]);
  });

  it('GIVEN a character whose UTF-8 bytes are split across two messages THEN it arrives whole', () => {
    const parser = new LogFrameParser();
    const snowman = Buffer.from('☃'); // three bytes
    const lines = parser.push(
      Buffer.concat([
        frame(1, Buffer.concat([Buffer.from(`${TS} a`), snowman.subarray(0, 2)])),
        frame(1, Buffer.concat([Buffer.from(`${TS2} `), snowman.subarray(2), Buffer.from('b\n')])),
      ]),
    );
    expect(lines).toEqual([{ stream: 'stdout', ts: TS, text: 'a☃b' }]);
  });

  it('GIVEN several lines in one message THEN each carries its stamp', () => {
    const parser = new LogFrameParser();
    expect(parser.push(frame(2, `${TS} a\nb\n`))).toEqual([
      { stream: 'stderr', ts: TS, text: 'a' },
      { stream: 'stderr', ts: TS, text: 'b' },
    ]);
  });

  it('GIVEN 4 MiB without a newline, in chunks of 1 to 64 KiB THEN lines of at most the maximum, marked cut, and never more held', () => {
    const bytes = 4 * 1024 ** 2;
    const input = unbrokenOutput(bytes);
    for (const sizes of [[7], [1, 13, 4096], [65_536], [16_392, 3]]) {
      const parser = new LogFrameParser();
      const { lines, mostHeld } = feed(parser, input, sizes);
      // Linear: the parser keeps nothing but one unfinished line, however the input is chunked.
      expect(mostHeld, `chunks of ${sizes}`).toBeLessThanOrEqual(MAX_LOG_LINE_CHARS);
      expect(lines.length).toBe(bytes / MAX_LOG_LINE_CHARS - 1);
      expect(lines.every((line) => line.cut === true && line.text.length === MAX_LOG_LINE_CHARS)).toBe(true);
      expect(lines.every((line) => /^x+$/.test(line.text))).toBe(true);
      expect(parser.flush()).toEqual([{ stream: 'stdout', ts: expect.any(String), text: 'x'.repeat(4096) }]);
    }
  });

  it('GIVEN any chunking of a stream THEN the lines are those of the stream in one piece', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'é', '☃', '😀', '\n', '\r', ' '), maxLength: 40 });
    const frames = fc.array(fc.tuple(fc.constantFrom<1 | 2>(1, 2), text), { maxLength: 12 });
    fc.assert(
      fc.property(frames, fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1 }), (parts, sizes) => {
        const input = Buffer.concat(parts.map(([stream, body]) => frame(stream, `${TS} ${body}`)));
        const whole = new LogFrameParser();
        const expected = [...whole.push(input), ...whole.flush()];
        const chunked = new LogFrameParser();
        expect([...feed(chunked, input, sizes).lines, ...chunked.flush()]).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});

describe('Lines put together from pieces', () => {
  const collect = (assembler: LineAssembler, ...pieces: string[]) => {
    const lines: Array<{ text: string; cut: boolean }> = [];
    for (const piece of pieces) assembler.push(piece, (line) => lines.push(line));
    return lines;
  };

  it('GIVEN a line of exactly the maximum THEN it is not cut; one character more THEN it is', () => {
    expect(collect(new LineAssembler(4), 'abcd\n')).toEqual([{ text: 'abcd', cut: false }]);
    expect(collect(new LineAssembler(4), 'ab', 'cde', '\n')).toEqual([
      { text: 'abcd', cut: true },
      { text: 'e', cut: false },
    ]);
  });

  it('GIVEN a cut that would split a surrogate pair THEN the pair moves to the next line whole', () => {
    expect(collect(new LineAssembler(4), 'abc😀d\n')).toEqual([
      { text: 'abc', cut: true },
      { text: '😀d', cut: false },
    ]);
  });
});
