import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import type { TerminalSize } from '../../../domain/terminal-size.js';
import type { ContainerProcess } from '../../../ports/container-exec.js';
import { withDeadline } from '../docker-deadlines.js';
import { dockerStatus, runtimeFailure } from '../docker-errors.js';
import { MultiplexedOutput } from './multiplexed-output.js';
import { PidPreamble } from './pid-preamble.js';

export interface DockerProcessOptions {
  readonly exec: Docker.Exec;
  /** The hijacked connection of the started exec: its output, and its input with a TTY. */
  readonly stream: Duplex;
  readonly tty: boolean;
  /** Ends the process's tree, given the PID it reported (when it did). */
  readonly killTree: (pid: number | undefined) => Promise<void>;
  /** Where the engine is, for error messages. */
  readonly where: string;
  /** How long the engine may take to answer a resize or an inspect. */
  readonly answerMs: number;
  /**
   * Whether the process's container is known to have stopped (or gone). Under gVisor's runsc the
   * engine keeps an exec's connection open after its container stopped, so without asking, a
   * terminal would outlive its container; runc ends the connection itself.
   */
  readonly containerStopped: () => Promise<boolean>;
  /** How often the container is asked about while the process lives. */
  readonly watchMs: number;
}

/** An exec'd process: its hijacked connection read as output, its PID report taken off the front. */
export class DockerProcess implements ContainerProcess {
  readonly output: AsyncIterable<Uint8Array>;
  private readonly preamble = new PidPreamble();
  private readonly ready: Promise<void>;
  private markReady: () => void = () => {};
  private killing: Promise<void> | undefined;
  private containerGone = false;
  private watching = false;
  private readonly watch: NodeJS.Timeout;

  constructor(private readonly options: DockerProcessOptions) {
    this.ready = new Promise((resolve) => {
      this.markReady = resolve;
    });
    // The connection can fail before anyone reads it, or after the reader left: never unheard.
    options.stream.on('error', () => {});
    this.watch = setInterval(() => void this.checkContainer(), options.watchMs);
    this.watch.unref();
    options.stream.once('close', () => clearInterval(this.watch));
    this.output = this.read();
  }

  async write(bytes: Uint8Array): Promise<void> {
    // Input before the PID report would be echoed by the TTY ahead of it.
    await this.ready;
    const { stream } = this.options;
    if (stream.destroyed || stream.writableEnded) return;
    if (stream.write(bytes)) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        stream.off('drain', done);
        stream.off('close', done);
        resolve();
      };
      stream.on('drain', done);
      stream.on('close', done);
    });
  }

  async resize({ cols, rows }: TerminalSize): Promise<void> {
    try {
      await withDeadline(this.options.answerMs, (signal) =>
        this.options.exec.resize({ h: rows, w: cols, abortSignal: signal }),
      );
    } catch (error) {
      // A process that has just ended has no TTY left to size.
      if (this.killing || isGone(error)) return;
      throw runtimeFailure(error, this.options.where, 'resize the terminal');
    }
  }

  async exitCode(): Promise<number | null> {
    try {
      const info = await withDeadline(this.options.answerMs, (signal) =>
        this.options.exec.inspect({ abortSignal: signal }),
      );
      return info.Running ? null : (info.ExitCode ?? null);
    } catch (error) {
      if (isGone(error)) return null;
      throw runtimeFailure(error, this.options.where, 'inspect the process');
    }
  }

  kill(): Promise<void> {
    this.killing ??= this.options.killTree(this.preamble.pid).finally(() => this.options.stream.destroy());
    return this.killing;
  }

  /** Ends the output when the container stopped under a process whose connection the engine left open. */
  private async checkContainer(): Promise<void> {
    if (this.watching) return;
    this.watching = true;
    try {
      if (!(await this.options.containerStopped())) return;
      this.containerGone = true;
      this.options.stream.destroy();
    } finally {
      this.watching = false;
    }
  }

  private async *read(): AsyncGenerator<Uint8Array> {
    const { stream, tty, where } = this.options;
    const frames = tty ? undefined : new MultiplexedOutput();
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        for (const piece of frames ? frames.push(chunk) : [{ stream: 'stdout', bytes: chunk }]) {
          // The report is on stdout; the wrapping sh's own complaints (if any) on stderr.
          const bytes = piece.stream === 'stdout' ? this.preamble.push(piece.bytes) : piece.bytes;
          if (this.preamble.done) this.markReady();
          if (bytes.length > 0) yield bytes;
        }
      }
      const rest = this.preamble.flush();
      if (rest.length > 0) yield rest;
    } catch (error) {
      if (!this.killing && !this.containerGone) throw runtimeFailure(error, where, 'read the process output');
    } finally {
      clearInterval(this.watch);
      this.markReady();
      stream.destroy();
    }
  }
}

/** The exec or its container is gone, or the container stopped. */
export function isGone(error: unknown): boolean {
  const status = dockerStatus(error);
  return status === 404 || status === 409;
}
