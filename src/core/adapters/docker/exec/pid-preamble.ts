/**
 * Docker has no call that ends an exec'd process, and knows its PID only in the host's namespace.
 * So every process starts through `sh -c`, which first prints its own PID as an OSC sequence no
 * program prints (`ESC ] 6301 ; <pid> BEL`) and then execs the real program in its place: that PID
 * is the program's, and it leads its own session (runc starts every exec in a new one). Its stderr
 * joins its stdout there: without a TTY they are two pipes, read by the engine in no fixed order,
 * and a command's output must read as it would in a terminal.
 */
const PREFIX = Buffer.from('\x1b]6301;');
const BEL = 0x07;
/** PIDs are at most 7 digits (pid_max ≤ 2^22). */
const MAX_LENGTH = PREFIX.length + 7 + 1;

/** `argv` behind the wrapper that reports its PID first. */
export function reportingPid(argv: readonly string[]): string[] {
  return ['sh', '-c', 'printf "\\033]6301;%s\\007" "$$"; exec "$@" 2>&1', 'containerlease', ...argv];
}

/**
 * Takes the PID report off the front of a process's output. Until the report has been read whole
 * nothing is passed on; output that does not start with it (sh missing, say) is passed on as it is,
 * and the PID stays unknown.
 */
export class PidPreamble {
  private held = Buffer.alloc(0);
  private settled = false;
  pid: number | undefined;

  /** Whether the front of the output has been read (with or without a PID). */
  get done(): boolean {
    return this.settled;
  }

  /** The bytes of `chunk` that belong to the program's output. */
  push(chunk: Uint8Array): Uint8Array {
    if (this.settled) return chunk;
    const bytes = Buffer.concat([this.held, chunk]);
    const end = bytes.indexOf(BEL);
    const head = end === -1 ? bytes : bytes.subarray(0, end);
    const matches =
      head.subarray(0, PREFIX.length).equals(PREFIX.subarray(0, Math.min(head.length, PREFIX.length))) &&
      /^\d*$/.test(head.subarray(PREFIX.length).toString('latin1'));
    if (matches && end === -1 && bytes.length < MAX_LENGTH) {
      this.held = bytes;
      return new Uint8Array(0);
    }
    this.settled = true;
    this.held = Buffer.alloc(0);
    if (!matches || end === -1 || end === PREFIX.length) return bytes;
    this.pid = Number(head.subarray(PREFIX.length).toString('latin1'));
    return bytes.subarray(end + 1);
  }

  /** What was held when the output ended before the report was whole. */
  flush(): Uint8Array {
    this.settled = true;
    const rest = this.held;
    this.held = Buffer.alloc(0);
    return rest;
  }
}
