import { describe, expect, it } from 'vitest';
import { MultiplexedOutput } from '../../../../../../src/core/adapters/docker/exec/multiplexed-output.js';
import { PidPreamble } from '../../../../../../src/core/adapters/docker/exec/pid-preamble.js';

const report = (pid: number) => Buffer.from(`\x1b]6301;${pid}\x07`);

describe('the PID report at the front of an exec’s output', () => {
  it('GIVEN the report split across chunks, byte by byte THEN the PID is read and nothing of it is passed on', () => {
    const preamble = new PidPreamble();
    const bytes = Buffer.concat([report(4242), Buffer.from('$ ')]);
    const passed = [...bytes].map((byte) => Buffer.from(preamble.push(Buffer.from([byte]))));
    expect(preamble.pid).toBe(4242);
    expect(Buffer.concat(passed).toString()).toBe('$ ');
  });

  it('GIVEN output that does not start with the report THEN it passes untouched and the PID stays unknown', () => {
    const preamble = new PidPreamble();
    expect(Buffer.from(preamble.push(Buffer.from('sh: not found\n'))).toString()).toBe('sh: not found\n');
    expect(preamble.pid).toBeUndefined();
    expect(Buffer.from(preamble.push(report(7))).toString()).toBe(report(7).toString());
  });

  it('GIVEN output that ends inside the report THEN flush hands the held bytes back', () => {
    const preamble = new PidPreamble();
    expect(preamble.push(Buffer.from('\x1b]630'))).toHaveLength(0);
    expect(Buffer.from(preamble.flush()).toString()).toBe('\x1b]630');
  });
});

describe('Docker’s multiplexed stream', () => {
  const frame = (stream: 1 | 2, text: string) => {
    const header = Buffer.alloc(8);
    header[0] = stream;
    header.writeUInt32BE(Buffer.byteLength(text), 4);
    return Buffer.concat([header, Buffer.from(text)]);
  };

  it('GIVEN frames split anywhere, multi-byte characters included THEN the payloads come out whole, in order, with their stream', () => {
    const bytes = Buffer.concat([frame(1, 'out ✓'), frame(2, 'err 日本'), frame(1, '')]);
    for (let cut = 1; cut < bytes.length; cut += 1) {
      const output = new MultiplexedOutput();
      const pieces = [...output.push(bytes.subarray(0, cut)), ...output.push(bytes.subarray(cut))];
      const text = (stream: string) =>
        Buffer.concat(
          pieces.filter((piece) => piece.stream === stream).map((piece) => piece.bytes),
        ).toString();
      expect([text('stdout'), text('stderr')]).toEqual(['out ✓', 'err 日本']);
    }
  });
});
