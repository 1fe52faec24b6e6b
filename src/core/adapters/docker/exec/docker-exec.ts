import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import { ConflictError } from '../../../errors.js';
import type { ContainerExec, ContainerProcess, SpawnOptions } from '../../../ports/container-exec.js';
import { DOCKER_DEADLINES, type DockerDeadlines, withDeadline } from '../docker-deadlines.js';
import { dockerStatus, runtimeFailure } from '../docker-errors.js';
import { DockerProcess, isGone } from './docker-process.js';
import { reportingPid } from './pid-preamble.js';
import { killTreeArgv, PROCESS_MARK } from './process-tree-kill.js';

/**
 * The engine's detach sequence, which it reads out of a TTY's input. Docker's default, Ctrl-P
 * Ctrl-Q, would hold back every Ctrl-P (readline's "previous line") until the next key. There is no
 * way to turn detaching off, so it is a sequence nobody types; its first key, Ctrl-], is the one
 * held back until the next.
 */
export const DETACH_KEYS = 'ctrl-],ctrl-@,ctrl-],ctrl-@';

/** How long the second exec that ends a process tree may run, once started. */
const KILL_DEADLINE_MS = 15_000;

/**
 * How often a live process's container is inspected, for runtimes whose exec connections outlive
 * their container (runsc): a terminal ends within this long of its container stopping.
 */
const CONTAINER_WATCH_MS = 3_000;

/**
 * Processes in containers through Docker's exec API. Each starts behind a wrapper that reports its
 * PID and carries a mark in its environment, which is how `kill()` finds it and all it started
 * (see process-tree-kill.ts).
 */
export class DockerExec implements ContainerExec {
  private readonly deadlines: DockerDeadlines;

  constructor(
    private readonly docker: Docker,
    /** Where the engine was looked for, for error messages. */
    private readonly where: string,
    deadlines: Partial<DockerDeadlines> = {},
  ) {
    this.deadlines = { ...DOCKER_DEADLINES, ...deadlines };
  }

  async spawn(containerId: string, options: SpawnOptions): Promise<ContainerProcess> {
    const container = this.docker.getContainer(containerId);
    const mark = randomBytes(12).toString('hex');
    const tty = options.tty !== undefined;
    const exec = await this.call('start a process in the container', (signal) =>
      container.exec({
        abortSignal: signal,
        Cmd: reportingPid(options.argv),
        Env: [
          ...Object.entries(options.env ?? {}).map(([key, value]) => `${key}=${value}`),
          `${PROCESS_MARK}=${mark}`,
        ],
        AttachStdin: tty,
        AttachStdout: true,
        AttachStderr: true,
        Tty: tty,
        DetachKeys: DETACH_KEYS,
      }),
    );
    // The deadline is for the engine to answer; the hijacked connection then lives as long as the process.
    const stream = (await this.call('start a process in the container', () =>
      exec.start({ hijack: true, stdin: tty, Tty: tty }),
    )) as Duplex;
    const process = new DockerProcess({
      exec,
      stream,
      tty,
      where: this.where,
      answerMs: this.deadlines.answer,
      killTree: (pid) => this.killTree(container, pid, mark),
      containerStopped: () => this.stopped(container),
      watchMs: CONTAINER_WATCH_MS,
    });
    if (options.tty) await process.resize(options.tty);
    return process;
  }

  /** Runs the kill script and waits for it; a container that stopped or went took everything with it. */
  private async killTree(container: Docker.Container, pid: number | undefined, mark: string): Promise<void> {
    try {
      const exec = await withDeadline(this.deadlines.answer, (signal) =>
        container.exec({
          abortSignal: signal,
          Cmd: killTreeArgv(pid, mark),
          AttachStdout: true,
          AttachStderr: true,
        }),
      );
      const stream = (await withDeadline(this.deadlines.answer, () =>
        exec.start({ hijack: true, stdin: false }),
      )) as Duplex;
      stream.on('error', () => {});
      const timer = setTimeout(() => stream.destroy(), KILL_DEADLINE_MS);
      stream.resume();
      await new Promise<void>((resolve) => stream.once('close', resolve));
      clearTimeout(timer);
    } catch (error) {
      if (!isGone(error)) throw runtimeFailure(error, this.where, 'end the process');
    }
  }

  /** Whether the container stopped or went; an engine that does not answer says nothing of it. */
  private async stopped(container: Docker.Container): Promise<boolean> {
    try {
      const info = await withDeadline(this.deadlines.answer, (signal) =>
        container.inspect({ abortSignal: signal }),
      );
      return !info.State.Running;
    } catch (error) {
      return dockerStatus(error) === 404;
    }
  }

  private async call<T>(action: string, operation: (signal: AbortSignal) => Promise<T>): Promise<T> {
    try {
      return await withDeadline(this.deadlines.answer, operation);
    } catch (error) {
      const status = dockerStatus(error);
      if (status === 409) throw new ConflictError('The container is not running.', { cause: error });
      if (status === 404) throw new ConflictError('The container is gone.', { cause: error });
      throw runtimeFailure(error, this.where, action);
    }
  }
}
