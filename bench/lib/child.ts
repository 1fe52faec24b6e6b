import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { trackChild } from './janitor.js';

export interface Message {
  readonly type: string;
}

/**
 * A TypeScript module run in a child process (through the same tsx loader as this one), spoken to
 * over IPC: `send` a request, `next` waits for the first reply of a type. Killed by the janitor if
 * the run is cut short.
 */
export class Child<Reply extends Message> {
  readonly process: ChildProcess;
  private readonly replies: Reply[] = [];
  private readonly waiters: Array<() => void> = [];
  private exitCode: number | null | undefined;

  constructor(module: URL, env: NodeJS.ProcessEnv = {}, execArgv: readonly string[] = []) {
    this.process = fork(fileURLToPath(module), {
      execArgv: [...process.execArgv, ...execArgv],
      env: { ...process.env, ...env },
    });
    trackChild(this.process);
    this.process.on('message', (reply: Reply) => {
      this.replies.push(reply);
      this.wake();
    });
    this.process.once('exit', (code) => {
      this.exitCode = code;
      this.wake();
    });
  }

  send(request: Message & Record<string, unknown>): void {
    this.process.send(request);
  }

  async next<T extends Reply['type']>(type: T): Promise<Extract<Reply, { type: T }>> {
    for (;;) {
      const index = this.replies.findIndex((reply) => reply.type === type);
      if (index >= 0) return this.replies.splice(index, 1)[0] as Extract<Reply, { type: T }>;
      if (this.exitCode !== undefined)
        throw new Error(`the child ${this.process.pid} exited (${this.exitCode}) before sending '${type}'`);
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** Asks it to stop (`stop` message), then waits for it to exit; killed if it does not within `graceMs`. */
  async stop(graceMs = 30_000): Promise<void> {
    if (this.exitCode !== undefined) return;
    const exited = new Promise((resolve) => this.process.once('exit', resolve));
    if (this.process.connected) this.send({ type: 'stop' });
    const timer = setTimeout(() => this.process.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }

  private wake(): void {
    for (const wake of this.waiters.splice(0)) wake();
  }
}
