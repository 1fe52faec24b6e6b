import { describe, expect, it } from 'vitest';
import type { TerminalSize } from '../../../../src/core/domain/terminal-size.js';
import { type InputSocket, TerminalInput } from '../../../../src/web/terminal/terminal-input.js';

/** A shell whose resizes the test finishes by hand; it records what reached it, in order. */
class SlowShell {
  readonly seen: string[] = [];
  private readonly finishers: Array<() => void> = [];

  async write(bytes: Uint8Array): Promise<void> {
    this.seen.push(`typed ${Buffer.from(bytes).toString()}`);
  }

  resize(size: TerminalSize): Promise<void> {
    this.seen.push(`resize ${size.cols}x${size.rows} begun`);
    return new Promise((resolve) =>
      this.finishers.push(() => {
        this.seen.push(`resize ${size.cols}x${size.rows} done`);
        resolve();
      }),
    );
  }

  finishResize(): void {
    this.finishers.shift()?.();
  }
}

/** The socket as TerminalInput uses it: it records control messages sent back. */
function socket(): { sent: string[]; ws: InputSocket } {
  const sent: string[] = [];
  return {
    sent,
    ws: {
      OPEN: 1,
      readyState: 1,
      isPaused: false,
      pause() {},
      resume() {},
      send: (data: string) => sent.push(data),
    },
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));
const resizeFrame = (cols: number, rows: number) =>
  Buffer.from(JSON.stringify({ type: 'resize', cols, rows }));

describe('TerminalInput', () => {
  it('GIVEN a resize under way WHEN keys are typed THEN they reach the shell after it, in order, as in a local terminal', async () => {
    const shell = new SlowShell();
    const input = new TerminalInput(socket().ws, shell, 1024);
    input.receive(resizeFrame(132, 43), false);
    input.receive(Buffer.from('stty size\r'), true);
    input.receive(Buffer.from('ls\r'), true);
    await settle();
    expect(shell.seen).toEqual(['resize 132x43 begun']);

    shell.finishResize();
    await settle();
    expect(shell.seen).toEqual([
      'resize 132x43 begun',
      'resize 132x43 done',
      'typed stty size\r',
      'typed ls\r',
    ]);

    input.receive(Buffer.from('pwd\r'), true);
    await settle();
    expect(shell.seen.at(-1)).toBe('typed pwd\r');
  });

  it('GIVEN resizes while one is under way THEN only the latest follows it, and a bad size is refused at once', async () => {
    const shell = new SlowShell();
    const { ws, sent } = socket();
    const input = new TerminalInput(ws, shell, 1024);
    input.receive(resizeFrame(100, 30), false);
    input.receive(resizeFrame(110, 31), false);
    input.receive(resizeFrame(0, 0), false);
    input.receive(resizeFrame(120, 32), false);
    await settle();
    expect(JSON.parse(sent[0] ?? '{}')).toMatchObject({ type: 'error', code: 'validation' });
    shell.finishResize();
    await settle();
    shell.finishResize();
    await settle();
    expect(shell.seen).toEqual([
      'resize 100x30 begun',
      'resize 100x30 done',
      'resize 120x32 begun',
      'resize 120x32 done',
    ]);
  });
});
