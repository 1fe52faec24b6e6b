import type { TerminalSize } from '../domain/terminal-size.js';

export interface SpawnOptions {
  /** The program and its arguments, run in the container's working directory as its user. */
  readonly argv: readonly string[];
  /** With a TTY of this size (a terminal), or without one: stdout and stderr then come as one output, stdin is closed. */
  readonly tty?: TerminalSize;
  /** Added to the container's environment. */
  readonly env?: Readonly<Record<string, string>>;
}

/** A process started inside a running container. */
export interface ContainerProcess {
  /**
   * Its output as the engine hands it over, byte for byte (a multi-byte character may be split
   * between two chunks). Reading slowly holds the process back: nothing is buffered without bound.
   * Ends when the process and whatever holds its output ended, or the container went away.
   */
  readonly output: AsyncIterable<Uint8Array>;
  /** Sends bytes to its standard input (TTY only); resolves once the engine took them, later when it is behind. */
  write(bytes: Uint8Array): Promise<void>;
  resize(size: TerminalSize): Promise<void>;
  /** How it ended, once `output` has ended: its exit code, or null when the engine does not know. */
  exitCode(): Promise<number | null>;
  /**
   * Ends the process and every process it started, also those that left its process group or session
   * (the engine has no such call); idempotent. A process that both cleared its environment and left
   * the session is out of reach and ends with the container.
   */
  kill(): Promise<void>;
}

/** Running commands inside a lease's container: the terminal and `/lease exec`. */
export interface ContainerExec {
  /** @throws conflict when the container is not running; runtime_unavailable when the engine fails */
  spawn(containerId: string, options: SpawnOptions): Promise<ContainerProcess>;
}
