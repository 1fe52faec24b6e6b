import type { TerminalSize } from '../../src/core/domain/terminal-size.js';
import type { ContainerExec, ContainerProcess, SpawnOptions } from '../../src/core/ports/container-exec.js';

/** How a fake process behaves: what it prints, how it ends, or that it runs until killed. */
export interface FakeBehaviour {
  readonly output?: string;
  /** null: the engine cannot tell how it ended. @defaultValue 0 */
  readonly exitCode?: number | null;
  /** Runs until killed, after printing `output`. */
  readonly hangs?: boolean;
}

/**
 * Processes in memory: a command runs as scripted (`script`), or prints nothing and exits 0.
 * Tests read what was started, typed, resized and killed.
 */
export class FakeExec implements ContainerExec {
  readonly spawned: Array<{ containerId: string; options: SpawnOptions; process: FakeProcess }> = [];
  private readonly behaviours = new Map<string, FakeBehaviour>();

  /** `command` (the last word of argv, as `sh -c <command>` passes it) behaves so from now on. */
  script(command: string, behaviour: FakeBehaviour): void {
    this.behaviours.set(command, behaviour);
  }

  async spawn(containerId: string, options: SpawnOptions): Promise<ContainerProcess> {
    const process = new FakeProcess(this.behaviours.get(options.argv.at(-1) ?? '') ?? {});
    this.spawned.push({ containerId, options, process });
    return process;
  }
}

/** Prints its output in 64 KiB chunks, then ends (or waits to be killed). */
export class FakeProcess implements ContainerProcess {
  readonly output: AsyncIterable<Uint8Array>;
  readonly typed: Uint8Array[] = [];
  readonly sizes: TerminalSize[] = [];
  killed = false;
  private onKill: () => void = () => {};
  private readonly killedOnce = new Promise<void>((resolve) => {
    this.onKill = resolve;
  });

  constructor(private readonly behaviour: FakeBehaviour) {
    this.output = this.print();
  }

  async write(bytes: Uint8Array): Promise<void> {
    this.typed.push(bytes);
  }

  async resize(size: TerminalSize): Promise<void> {
    this.sizes.push(size);
  }

  async exitCode(): Promise<number | null> {
    if (this.killed) return 137;
    return this.behaviour.exitCode === undefined ? 0 : this.behaviour.exitCode;
  }

  async kill(): Promise<void> {
    this.killed = true;
    this.onKill();
  }

  private async *print(): AsyncGenerator<Uint8Array> {
    const bytes = Buffer.from(this.behaviour.output ?? '');
    for (let at = 0; at < bytes.length && !this.killed; at += 64 * 1024)
      yield bytes.subarray(at, at + 64 * 1024);
    if (this.behaviour.hangs) await this.killedOnce;
  }
}
