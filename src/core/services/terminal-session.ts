import { setTimeout as sleep } from 'node:timers/promises';
import { MINUTE_MS } from '../domain/lease.js';
import type { TerminalSize } from '../domain/terminal-size.js';
import { asCodedError } from '../errors.js';
import type { ActivityLease, ContainerActivity, TerminalEndKind } from '../ports/container-activity.js';
import type { ContainerProcess } from '../ports/container-exec.js';
import type { Logger } from '../ports/logger.js';
import type { SessionSlots } from '../ports/session-slots.js';
import type { Actor } from './access-policy.js';
import type { LeaseService } from './lease-service.js';

/** How a terminal session ended, as its page is told. */
export type TerminalEnd =
  | { readonly kind: 'exit'; readonly code: number | null }
  | { readonly kind: 'idle'; readonly minutes: number }
  | { readonly kind: 'lease-ended' }
  | { readonly kind: 'container-stopped'; readonly state: string }
  | { readonly kind: 'closed' };

export interface TerminalSessionDeps {
  readonly id: string;
  readonly lease: ActivityLease;
  readonly actor: Actor;
  readonly process: ContainerProcess;
  readonly leases: LeaseService;
  readonly slots: SessionSlots;
  readonly activity: ContainerActivity;
  readonly logger: Logger;
  readonly now: () => number;
  /** Closed after this long without a byte either way. */
  readonly idleMs: number;
  /** How long the session's place lasts unless renewed; it is renewed every third of it. */
  readonly slotTtlMs: number;
  /** How long a shell ended by a signal waits for its container to show stopped. */
  readonly stopSettleMs: number;
}

/** How often the container is asked about while a shell's end settles. */
const SETTLE_POLL_MS = 250;

/**
 * A shell in a lease's container, opened by TerminalService. Counts the bytes each way, closes
 * itself after the idle time, keeps its place among the lease's terminals while it lives, and gives
 * it back (with one activity record) when it ends, whichever way it ends.
 */
export class TerminalSession {
  readonly output: AsyncIterable<Uint8Array>;
  private bytesIn = 0;
  private bytesOut = 0;
  private readonly openedAt: number;
  private lastActive: number;
  private readonly idleTimer: NodeJS.Timeout;
  private readonly renewTimer: NodeJS.Timeout;
  private closedAs: 'idle' | 'closed' | undefined;
  private closing: Promise<void> | undefined;

  constructor(private readonly deps: TerminalSessionDeps) {
    this.openedAt = deps.now();
    this.lastActive = this.openedAt;
    this.output = this.count(deps.process.output);
    this.renewTimer = setInterval(() => void this.renew(), deps.slotTtlMs / 3);
    this.renewTimer.unref();
    // Checked a few times per idle period, not re-armed per chunk: a 50 MB cat is thousands of them.
    this.idleTimer = setInterval(() => this.checkIdle(), Math.min(deps.idleMs / 4, 30_000));
    this.idleTimer.unref();
  }

  get id(): string {
    return this.deps.id;
  }

  async write(bytes: Uint8Array): Promise<void> {
    this.bytesIn += bytes.length;
    this.touch();
    await this.deps.process.write(bytes);
  }

  /** A size checked by requireTerminalSize. */
  async resize(size: TerminalSize): Promise<void> {
    await this.deps.process.resize(size);
  }

  /** Ends the shell and all it started (the reader went away, or the server is shutting down). */
  close(): Promise<void> {
    this.closedAs ??= 'closed';
    return this.finish({ kind: 'closed' });
  }

  /**
   * Once `output` has ended: why, as the page is told. The shell exited, the lease ended, its
   * container stopped, or the session was closed (for being idle, or by `close`).
   */
  async ended(): Promise<TerminalEnd> {
    const end = await this.reason();
    await this.finish(end);
    return end;
  }

  private async reason(): Promise<TerminalEnd> {
    if (this.closedAs === 'idle') return { kind: 'idle', minutes: this.deps.idleMs / MINUTE_MS };
    if (this.closedAs === 'closed') return { kind: 'closed' };
    const ended = await this.leaseEnd();
    if (ended) return ended;
    const code = await this.deps.process.exitCode();
    // A shell killed by a signal (128 + its number), failed by the runtime (128: a gVisor sandbox
    // dying past its pids limit) or whose end the engine cannot tell is often the first sign of its
    // container stopping: the engine closes the exec's connection up to half a second (measured,
    // runsc) before it marks the container. Asked again over that moment, the page is told the
    // container stopped, not that its shell exited.
    if (code !== null && code < 128) return { kind: 'exit', code };
    for (let waited = 0; waited < this.deps.stopSettleMs; waited += SETTLE_POLL_MS) {
      await sleep(SETTLE_POLL_MS);
      const later = await this.leaseEnd();
      if (later) return later;
    }
    return { kind: 'exit', code };
  }

  /** How the lease or its container ended under the shell, if either did. */
  private async leaseEnd(): Promise<TerminalEnd | undefined> {
    try {
      const lease = await this.deps.leases.get(this.deps.actor, this.deps.lease.id);
      if (lease.status === 'cleaning') return { kind: 'lease-ended' };
      if (lease.containerState !== 'running')
        return { kind: 'container-stopped', state: lease.containerState };
      return undefined;
    } catch (error) {
      if (asCodedError(error).code === 'not_found') return { kind: 'lease-ended' };
      throw error;
    }
  }

  private finish(end: TerminalEnd): Promise<void> {
    this.closing ??= this.release(end);
    return this.closing;
  }

  private async release(end: TerminalEnd): Promise<void> {
    clearInterval(this.idleTimer);
    clearInterval(this.renewTimer);
    const { deps } = this;
    try {
      await deps.process.kill();
      await deps.slots.release('terminal', deps.lease.id, deps.id);
    } catch (error) {
      // The place expires by itself; the kill is retried by nobody, so say so.
      deps.logger.warn(
        { leaseId: deps.lease.id, sessionId: deps.id, error: asCodedError(error).message },
        'terminal cleanup failed',
      );
    }
    deps.activity.terminalClosed({
      sessionId: deps.id,
      lease: deps.lease,
      actor: deps.actor.owner,
      openedAt: this.openedAt,
      closedAt: deps.now(),
      bytesIn: this.bytesIn,
      bytesOut: this.bytesOut,
      end: end.kind satisfies TerminalEndKind,
      ...(end.kind === 'exit' ? { exitCode: end.code } : {}),
    });
  }

  private async *count(output: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    for await (const chunk of output) {
      this.bytesOut += chunk.length;
      this.touch();
      yield chunk;
    }
  }

  private touch(): void {
    this.lastActive = this.deps.now();
  }

  private checkIdle(): void {
    if (this.deps.now() - this.lastActive < this.deps.idleMs) return;
    this.closedAs ??= 'idle';
    void this.deps.process.kill().catch(() => {});
  }

  private async renew(): Promise<void> {
    const { deps } = this;
    try {
      await deps.slots.take('terminal', deps.lease.id, deps.id, Number.MAX_SAFE_INTEGER, deps.slotTtlMs);
    } catch (error) {
      deps.logger.warn(
        { leaseId: deps.lease.id, error: asCodedError(error).message },
        'terminal place not renewed',
      );
    }
  }
}
