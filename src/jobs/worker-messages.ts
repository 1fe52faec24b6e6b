import type { CleanupSummary } from '../core/services/lifecycle-service.js';

/** What the cleanup worker thread starts with: only plain data crosses into a worker. */
export interface CleanupJobData {
  readonly redisUrl: string;
  readonly instanceId: string;
  /** How long the run lock is held at most; a run that dies frees it after this. */
  readonly lockTtlMs: number;
}

/** Messages from the worker to the scheduler, which logs them and feeds the metrics. */
export type WorkerMessage =
  | {
      readonly type: 'log';
      readonly level: 'debug' | 'info' | 'warn' | 'error';
      readonly fields: object;
      readonly message?: string;
    }
  | { readonly type: 'cleaned'; readonly seconds: number; readonly outcome: string }
  | {
      readonly type: 'run';
      /** False when another instance held the run lock. */
      readonly ran: boolean;
      readonly startedAt: number;
      readonly endedAt: number;
      /** The worker thread it ran in. */
      readonly threadId: number;
      readonly summary?: CleanupSummary;
    };

export function isWorkerMessage(value: unknown): value is WorkerMessage {
  return (
    typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string'
  );
}
