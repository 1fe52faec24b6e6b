import { requireTerminalSize, type TerminalSize } from '../../core/domain/terminal-size.js';
import { asCodedError, type CodedError } from '../../core/errors.js';
import type { TerminalSession } from '../../core/services/terminal-session.js';
import type { ServerControl } from './terminal-protocol.js';

/** The socket as read here: paused and resumed for backpressure, and answered on. */
export interface InputSocket {
  pause(): unknown;
  resume(): unknown;
  readonly isPaused: boolean;
  readonly readyState: number;
  readonly OPEN: number;
  send(data: string, options: { binary: boolean }): void;
}

/**
 * What the page sends a running shell. Binary frames are typed bytes, written in order; while more
 * than the high-water mark waits for the engine, the socket is not read (TCP holds the sender back).
 * Text frames are JSON control messages; a resize is applied, the latest one winning while one is
 * under way, so a flood of them costs the engine one call at a time, and what is typed meanwhile
 * waits for it, as in a local terminal: a `stty size` typed after a resize sees the new size.
 * Anything else gets an `error` message, and the terminal goes on.
 */
export class TerminalInput {
  private pendingBytes = 0;
  private wantedSize: TerminalSize | undefined;
  /** Settles once no resize is under way; undefined while none is. */
  private resizing: Promise<void> | undefined;

  constructor(
    private readonly ws: InputSocket,
    private readonly session: Pick<TerminalSession, 'write' | 'resize'>,
    private readonly highWaterBytes: number,
  ) {}

  receive(data: Buffer, binary: boolean): void {
    if (binary) this.type(data);
    else this.control(data);
  }

  private type(bytes: Buffer): void {
    this.pendingBytes += bytes.length;
    if (this.pendingBytes > this.highWaterBytes) this.ws.pause();
    const written = this.resizing
      ? this.resizing.then(() => this.session.write(bytes))
      : this.session.write(bytes);
    written
      .catch(() => {
        // The shell is gone; its end is reported from the output side.
      })
      .finally(() => {
        this.pendingBytes -= bytes.length;
        if (this.ws.isPaused && this.pendingBytes <= this.highWaterBytes / 4) this.ws.resume();
      });
  }

  private control(data: Buffer): void {
    const message = parseJson(data);
    if (message === undefined) {
      this.refuse('Text frames are JSON control messages; send what is typed as binary frames.');
    } else if (message?.type !== 'resize') {
      this.refuse('The only control message is {"type":"resize","cols":<1-1000>,"rows":<1-1000>}.');
    } else {
      this.resize(message.cols, message.rows);
    }
  }

  /** Checked at once, each refusal answered; applied one engine call at a time, the latest size winning. */
  private resize(cols: unknown, rows: unknown): void {
    try {
      this.wantedSize = requireTerminalSize(cols, rows);
    } catch (error) {
      this.refuse(asCodedError(error));
      return;
    }
    this.resizing ??= this.applySizes().finally(() => {
      this.resizing = undefined;
    });
  }

  private async applySizes(): Promise<void> {
    while (this.wantedSize) {
      const size = this.wantedSize;
      this.wantedSize = undefined;
      await this.session.resize(size).catch((error: unknown) => this.refuse(asCodedError(error)));
    }
  }

  private refuse(error: string | CodedError): void {
    const { code, message } = typeof error === 'string' ? { code: 'validation', message: error } : error;
    this.send({ type: 'error', code, message });
  }

  private send(control: ServerControl): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(control), { binary: false });
  }
}

function parseJson(data: Buffer): { type?: unknown; cols?: unknown; rows?: unknown } | null | undefined {
  try {
    return JSON.parse(data.toString('utf8'));
  } catch {
    return undefined;
  }
}
