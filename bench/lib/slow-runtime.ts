import { setTimeout as sleep } from 'node:timers/promises';
import type {
  ContainerRuntime,
  ContainerSpec,
  ContainerSummary,
  LogLine,
} from '../../src/core/ports/container-runtime.js';

/**
 * An engine that answers every call after `delayMs` (a timer, no CPU) and keeps nothing, so that a
 * benchmark measures our code and not the engine's CPU, nor a test double's growing memory
 * (FakeRuntime records every call and container, which a long run turns into GC work).
 */
export class SlowRuntime implements ContainerRuntime {
  private sequence = 0;

  constructor(private readonly delayMs: number) {}

  async ensureImage(): Promise<void> {
    await sleep(this.delayMs);
  }

  async create(_spec: ContainerSpec): Promise<string> {
    await sleep(this.delayMs);
    this.sequence += 1;
    return `slow${String(this.sequence).padStart(60, '0')}`;
  }

  async start(): Promise<void> {
    await sleep(this.delayMs);
  }

  async rename(): Promise<void> {
    await sleep(this.delayMs);
  }

  async imageId(): Promise<string | null> {
    await sleep(this.delayMs);
    return 'sha256:slow';
  }

  async stop(): Promise<void> {
    await sleep(this.delayMs);
  }

  async remove(): Promise<void> {
    await sleep(this.delayMs);
  }

  async inspect(): Promise<ContainerSummary | null> {
    await sleep(this.delayMs);
    return null;
  }

  async list(): Promise<ContainerSummary[]> {
    await sleep(this.delayMs);
    return [];
  }

  /** No container ever writes a line. */
  async *logs(): AsyncIterable<LogLine> {}

  async ping(): Promise<void> {}
}
