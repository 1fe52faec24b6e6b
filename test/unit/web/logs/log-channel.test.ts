import { describe, expect, it } from 'vitest';
import type { LogLine, LogOptions } from '../../../../src/core/ports/container-runtime.js';
import { LogChannel } from '../../../../src/web/logs/log-channel.js';
import type { LogViewer } from '../../../../src/web/logs/log-viewer.js';
import { FakeRuntime } from '../../../doubles/fake-runtime.js';

/** A runtime whose one log stream the test feeds line by line. */
class ScriptedLogs extends FakeRuntime {
  private readonly queue: Array<LogLine | 'end'> = [];
  private wake: (() => void) | undefined;
  signal: AbortSignal | undefined;

  push(item: LogLine | 'end'): void {
    this.queue.push(item);
    this.wake?.();
  }

  override async *logs(_id: string, options: LogOptions): AsyncIterable<LogLine> {
    this.signal = options.signal;
    for (;;) {
      const item = this.queue.shift();
      if (item === 'end' || options.signal?.aborted) return;
      if (item) yield item;
      else
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          options.signal?.addEventListener('abort', () => resolve(), { once: true });
        });
    }
  }
}

class RecordingViewer {
  readonly got: string[] = [];
  closed: number | undefined;
  deliver(batch: { lines: readonly LogLine[] }): void {
    this.got.push(...batch.lines.map((line) => line.text));
  }
  close(code: number): void {
    this.closed = code;
  }
}

const line = (n: number): LogLine => ({ stream: 'stdout', ts: `t${n}`, text: `line ${n}` });
const settle = () => new Promise((resolve) => setImmediate(resolve));
/** Lets the stream be read without letting the flush (setImmediate) run. */
const microtasks = async () => {
  for (let i = 0; i < 50; i += 1) await Promise.resolve();
};

function channelOn(runtime: ScriptedLogs, onClosed = () => {}) {
  const channel = new LogChannel({
    runtime,
    containerId: 'c1',
    backlogLines: 10,
    maxBatchLines: 100,
    onStreamEnd: async () => ({ code: 4000, reason: 'lease ended' }),
    onClosed,
  });
  channel.start();
  return channel;
}

describe('LogChannel', () => {
  it('GIVEN a viewer joins while lines wait to be flushed THEN it gets each line exactly once', async () => {
    const runtime = new ScriptedLogs();
    const channel = channelOn(runtime);
    const first = new RecordingViewer();
    channel.add(first as unknown as LogViewer);
    runtime.push(line(1));
    runtime.push(line(2));
    await microtasks();
    expect(first.got).toEqual([]); // read from the stream, not yet flushed
    const second = new RecordingViewer();
    channel.add(second as unknown as LogViewer);
    runtime.push(line(3));
    await settle();
    await settle();
    expect(first.got).toEqual(['line 1', 'line 2', 'line 3']);
    expect(second.got).toEqual(['line 1', 'line 2', 'line 3']);
  });

  it('GIVEN the stream ends THEN every viewer is closed with the end reason and the channel reports closed', async () => {
    const runtime = new ScriptedLogs();
    let closed = 0;
    const channel = channelOn(runtime, () => {
      closed += 1;
    });
    const viewer = new RecordingViewer();
    channel.add(viewer as unknown as LogViewer);
    runtime.push(line(1));
    runtime.push('end');
    await settle();
    await settle();
    expect(viewer).toMatchObject({ got: ['line 1'], closed: 4000 });
    expect(closed).toBe(1);
  });

  it('GIVEN the last viewer leaves THEN the Docker stream is aborted', async () => {
    const runtime = new ScriptedLogs();
    const channel = channelOn(runtime);
    const viewer = new RecordingViewer();
    channel.add(viewer as unknown as LogViewer);
    await settle();
    channel.remove(viewer as unknown as LogViewer);
    expect(runtime.signal?.aborted).toBe(true);
    expect(viewer.closed).toBeUndefined();
  });

  it('GIVEN a line the runtime cut THEN the frame every viewer gets marks it cut', async () => {
    const runtime = new ScriptedLogs();
    const channel = channelOn(runtime);
    const frames: string[] = [];
    const viewer = { deliver: (batch: { frame: Buffer }) => frames.push(batch.frame.toString()), close() {} };
    channel.add(viewer as unknown as LogViewer);
    runtime.push({ stream: 'stderr', ts: 't1', text: 'x'.repeat(4096), cut: true });
    runtime.push({ stream: 'stderr', ts: 't1', text: 'y' });
    await settle();
    await settle();
    expect(frames.map((frame) => JSON.parse(frame))).toEqual([
      {
        type: 'lines',
        lines: [
          { stream: 'stderr', ts: 't1', text: 'x'.repeat(4096), cut: true },
          { stream: 'stderr', ts: 't1', text: 'y' },
        ],
      },
    ]);
  });
});
