import type { WebSocket } from 'ws';
import type { ContainerRuntime } from '../../core/ports/container-runtime.js';
import type { Logger } from '../../core/ports/logger.js';
import type { Actor } from '../../core/services/access-policy.js';
import { type EndReason, LogChannel } from './log-channel.js';
import { type BackpressureLimits, DEFAULT_BACKPRESSURE, LogViewer } from './log-viewer.js';
import type { Cursor } from './resume-cursor.js';

export interface LogHubOptions {
  readonly runtime: ContainerRuntime;
  readonly logger: Logger;
  /** Decides how viewers of a lease are told that its stream ended; `actor` opened the stream. */
  readonly endReason: (leaseId: string, actor: Actor, error: unknown) => Promise<EndReason>;
  /** @defaultValue 1000 */
  readonly backlogLines?: number;
  /** @defaultValue 500 */
  readonly maxBatchLines?: number;
  readonly backpressure?: BackpressureLimits;
}

export interface ViewerStats {
  readonly leaseId: string;
  readonly bufferedAmount: number;
  readonly skippedTotal: number;
}

/** What a viewer asks to watch. */
export interface Watch {
  readonly leaseId: string;
  readonly containerId: string;
  readonly cursor: Cursor | undefined;
  /** The caller, already allowed to see this lease. */
  readonly actor: Actor;
}

/** Every live log stream: one channel per lease, created by its first viewer, gone after its last. */
export class LogHub {
  private readonly channels = new Map<string, LogChannel>();

  constructor(private readonly options: LogHubOptions) {}

  join(socket: WebSocket, watch: Watch): void {
    const viewer = new LogViewer(socket, watch.cursor, this.options.backpressure ?? DEFAULT_BACKPRESSURE);
    const channel = this.channels.get(watch.leaseId) ?? this.open(watch);
    socket.on('close', () => channel.remove(viewer));
    channel.add(viewer);
  }

  /** Docker log streams open now. */
  get streamCount(): number {
    return this.channels.size;
  }

  get viewerCount(): number {
    let count = 0;
    for (const channel of this.channels.values()) count += channel.viewerCount;
    return count;
  }

  viewerStats(): ViewerStats[] {
    return [...this.channels].flatMap(([leaseId, channel]) =>
      channel.viewerList().map((viewer) => ({
        leaseId,
        bufferedAmount: viewer.bufferedAmount,
        skippedTotal: viewer.skippedTotal,
      })),
    );
  }

  /** Closes every viewer (1001 on shutdown) and aborts every stream. */
  closeAll(code: number, reason: string): void {
    for (const channel of [...this.channels.values()]) channel.closeAll(code, reason);
  }

  private open(watch: Watch): LogChannel {
    const { runtime, endReason, logger } = this.options;
    const channel: LogChannel = new LogChannel({
      runtime,
      containerId: watch.containerId,
      backlogLines: this.options.backlogLines ?? 1000,
      maxBatchLines: this.options.maxBatchLines ?? 500,
      onStreamEnd: (error) => endReason(watch.leaseId, watch.actor, error),
      onClosed: () => {
        if (this.channels.get(watch.leaseId) === channel) this.channels.delete(watch.leaseId);
        logger.debug({ leaseId: watch.leaseId }, 'log stream closed');
      },
    });
    this.channels.set(watch.leaseId, channel);
    channel.start();
    logger.debug({ leaseId: watch.leaseId, containerId: watch.containerId }, 'log stream opened');
    return channel;
  }
}
