import { describe, expect, it } from 'vitest';
import { LogFrameParser } from '../../../../../src/core/adapters/docker/log-frames.js';

function frame(stream: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

const TS = '2026-11-29T10:00:00.000000001Z';

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
});
