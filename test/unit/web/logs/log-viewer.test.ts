import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import type { LogLine } from '../../../../src/core/ports/container-runtime.js';
import { CLOSE_CODES, type ServerMessage } from '../../../../src/web/logs/log-protocol.js';
import { frameOf, LogViewer } from '../../../../src/web/logs/log-viewer.js';

/** A socket whose queue the test sets; it records what was sent. */
class FakeSocket {
  readonly OPEN = 1;
  readonly CONNECTING = 0;
  readyState = 1;
  bufferedAmount = 0;
  readonly sent: ServerMessage[] = [];
  closedWith: number | undefined;
  send(data: Buffer): void {
    this.sent.push(JSON.parse(data.toString()) as ServerMessage);
  }
  close(code: number): void {
    this.closedWith = code;
    this.readyState = 2;
  }
  terminate(): void {}
}

const lines = (from: number, count: number): LogLine[] =>
  Array.from({ length: count }, (_, i) => ({
    stream: 'stdout',
    ts: `2026-01-01T00:00:${String(from + i).padStart(2, '0')}.000000000Z`,
    text: `line ${from + i}`,
  }));
const batch = (from: number, count: number) => {
  const list = lines(from, count);
  return { lines: list, frame: frameOf({ type: 'lines', lines: list }) };
};

describe('LogViewer backpressure', () => {
  const limits = { highWaterBytes: 1000, lowWaterBytes: 100, maxBehindMs: 5_000 };

  it('GIVEN a queue under the high-water mark THEN batches are sent as they come', () => {
    const socket = new FakeSocket();
    const viewer = new LogViewer(socket as unknown as WebSocket, undefined, limits);
    viewer.deliver(batch(1, 2));
    viewer.deliver(batch(3, 1));
    expect(socket.sent.map((m) => m.type)).toEqual(['lines', 'lines']);
  });

  it('GIVEN a queue over the mark THEN lines are skipped, and once it drains below the low mark a gap marker precedes the next batch', () => {
    const socket = new FakeSocket();
    const viewer = new LogViewer(socket as unknown as WebSocket, undefined, limits);
    socket.bufferedAmount = 1001;
    viewer.deliver(batch(1, 3));
    socket.bufferedAmount = 500; // below high, above low: still behind
    viewer.deliver(batch(4, 2));
    expect(socket.sent).toEqual([]);
    socket.bufferedAmount = 50;
    viewer.deliver(batch(6, 1));
    expect(socket.sent).toEqual([
      { type: 'gap', skipped: 5 },
      { type: 'lines', lines: lines(6, 1) },
    ]);
    expect(viewer.skippedTotal).toBe(5);
  });

  it('GIVEN a viewer behind for longer than maxBehindMs THEN it is closed with 4008', () => {
    const socket = new FakeSocket();
    let now = 0;
    const viewer = new LogViewer(socket as unknown as WebSocket, undefined, limits, () => now);
    socket.bufferedAmount = 5000;
    viewer.deliver(batch(1, 1));
    now = 4_999;
    viewer.deliver(batch(2, 1));
    expect(socket.closedWith).toBeUndefined();
    now = 5_000;
    viewer.deliver(batch(3, 1));
    expect(socket.closedWith).toBe(CLOSE_CODES.tooSlow);
  });

  it('GIVEN a resume cursor THEN only lines after it are sent, in a frame of its own', () => {
    const socket = new FakeSocket();
    const cursor = { ts: lines(2, 1)[0]?.ts ?? '', count: 1 };
    const viewer = new LogViewer(socket as unknown as WebSocket, cursor, limits);
    viewer.deliver(batch(1, 4));
    expect(socket.sent).toEqual([{ type: 'lines', lines: lines(3, 2) }]);
  });
});
