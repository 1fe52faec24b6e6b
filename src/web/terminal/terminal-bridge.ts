import type { RawData, WebSocket } from 'ws';
import {
  DEFAULT_TERMINAL_SIZE,
  requireTerminalSize,
  type TerminalSize,
} from '../../core/domain/terminal-size.js';
import { asCodedError } from '../../core/errors.js';
import type { Logger } from '../../core/ports/logger.js';
import type { TerminalPass } from '../../core/services/terminal-service.js';
import type { TerminalEnd, TerminalSession } from '../../core/services/terminal-session.js';
import { TerminalInput } from './terminal-input.js';
import { type ServerControl, TERMINAL_CLOSE_CODES } from './terminal-protocol.js';

export interface BridgeOptions {
  readonly logger: Logger;
  /** Bytes queued on the socket above which the shell's output waits. @defaultValue 1 MiB */
  readonly highWaterBytes: number;
  /** How long the first frame (the size) is awaited before the shell starts at 80×24. @defaultValue 5000 */
  readonly firstFrameMs: number;
}

/**
 * One terminal socket joined to one shell. The shell starts once the first frame has said the
 * size; its output goes out as binary frames, and waits while more than the high-water mark is
 * queued (so a `cat` of a huge file holds the shell back, not the server's memory); what the page
 * sends goes in through TerminalInput. When the shell ends the page is told why, then the socket
 * closes; when the socket closes the shell is ended with everything it started.
 */
export class TerminalBridge {
  private session: TerminalSession | undefined;
  private readonly early: Array<{ data: Buffer; binary: boolean }> = [];
  private input: TerminalInput | undefined;
  private clientGone = false;
  private firstFrame: ((frame: { data: Buffer; binary: boolean } | undefined) => void) | undefined;

  constructor(
    private readonly ws: WebSocket,
    private readonly pass: TerminalPass,
    private readonly options: BridgeOptions,
  ) {
    ws.on('message', (data, binary) => this.receive(asBuffer(data), binary));
    ws.on('close', () => {
      this.clientGone = true;
      this.firstFrame?.(undefined);
      void this.session?.close();
    });
  }

  /** Runs until both the shell and the socket are done. */
  async run(): Promise<void> {
    const size = await this.firstSize();
    if (this.clientGone) return this.pass.cancel();
    try {
      this.session = await this.pass.open(size);
    } catch (error) {
      return this.failed(error);
    }
    if (this.clientGone) return this.session.close();
    const session = this.session;
    this.input = new TerminalInput(this.ws, session, this.options.highWaterBytes);
    for (const frame of this.early.splice(0)) this.input.receive(frame.data, frame.binary);
    this.ws.resume();
    await this.pump(session);
    try {
      this.end(await session.ended());
    } catch (error) {
      this.options.logger.warn(
        { leaseId: this.pass.lease.id, error: asCodedError(error).message },
        'terminal end unclear',
      );
      this.close(TERMINAL_CLOSE_CODES.failed, 'terminal failed');
    }
  }

  /** Closes the socket with `code` and ends the shell (the server is shutting down). */
  async shutDown(code: number, reason: string): Promise<void> {
    this.send({ type: 'ended', reason });
    this.close(code, reason);
    await this.session?.close();
  }

  private receive(data: Buffer, binary: boolean): void {
    if (this.input) {
      this.input.receive(data, binary);
    } else if (this.firstFrame) {
      this.firstFrame({ data, binary });
    } else {
      // Frames that were on the way while the shell started: kept, and no more read meanwhile.
      this.early.push({ data, binary });
      this.ws.pause();
    }
  }

  private firstSize(): Promise<TerminalSize> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(undefined), this.options.firstFrameMs);
      const done = (frame: { data: Buffer; binary: boolean } | undefined) => {
        clearTimeout(timer);
        this.firstFrame = undefined;
        const size = frame && !frame.binary ? sizeOf(frame.data) : undefined;
        if (frame && !size) this.early.push(frame);
        resolve(size ?? DEFAULT_TERMINAL_SIZE);
      };
      this.firstFrame = done;
    });
  }

  private async pump(session: TerminalSession): Promise<void> {
    const { ws } = this;
    for await (const chunk of session.output) {
      if (ws.readyState !== ws.OPEN) break;
      if (ws.bufferedAmount + chunk.length <= this.options.highWaterBytes) {
        ws.send(chunk, { binary: true });
        continue;
      }
      // The callback comes once this frame, and so all before it, is handed to the network.
      await new Promise<void>((resolve) => ws.send(chunk, { binary: true }, () => resolve()));
    }
  }

  private end(end: TerminalEnd): void {
    switch (end.kind) {
      case 'exit':
        this.send({ type: 'exit', code: end.code });
        this.close(TERMINAL_CLOSE_CODES.shellExited, 'shell exited');
        break;
      case 'idle':
        this.ended(TERMINAL_CLOSE_CODES.idle, `idle for ${end.minutes} minutes`);
        break;
      case 'lease-ended':
        this.ended(TERMINAL_CLOSE_CODES.leaseEnded, 'lease ended');
        break;
      case 'container-stopped':
        this.ended(TERMINAL_CLOSE_CODES.containerStopped, `container ${end.state}`);
        break;
      case 'closed':
        break;
    }
  }

  private failed(error: unknown): void {
    const coded = asCodedError(error);
    this.options.logger.warn(
      { leaseId: this.pass.lease.id, error: coded.message },
      'terminal shell did not start',
    );
    if (coded.code === 'conflict') this.ended(TERMINAL_CLOSE_CODES.containerStopped, coded.message);
    else this.ended(TERMINAL_CLOSE_CODES.failed, `the shell could not be started: ${coded.message}`);
  }

  private ended(code: number, reason: string): void {
    this.send({ type: 'ended', reason });
    this.close(code, reason);
  }

  private send(control: ServerControl): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(control), { binary: false });
  }

  private close(code: number, reason: string): void {
    // A close reason holds at most 123 bytes; the whole reason went in the `ended` message before.
    if (this.ws.readyState === this.ws.OPEN)
      this.ws.close(code, Buffer.from(reason).subarray(0, 120).toString());
  }
}

/** The size of a first frame that is a valid resize message. */
function sizeOf(data: Buffer): TerminalSize | undefined {
  try {
    const message = JSON.parse(data.toString('utf8')) as { type?: unknown; cols?: unknown; rows?: unknown };
    return message.type === 'resize' ? requireTerminalSize(message.cols, message.rows) : undefined;
  } catch {
    // Not a size: the frame is handled as any other once the shell runs (an error message, or input).
    return undefined;
  }
}

export function asBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}
