import type { Lease } from '../domain/lease.js';
import type { LogLine } from './container-runtime.js';

/** What is kept of a lease with its final logs: enough to sign its logs link once its record is gone. */
export type EndedLease = Pick<Lease, 'id' | 'owner' | 'imageType' | 'hardCapAt'>;

/**
 * The last lines of a lease's container, captured when the container is removed, so the log page
 * still shows them after the lease ended. Capped in size and kept for a while, not forever.
 */
export interface FinalLogs {
  save(lease: EndedLease, lines: readonly LogLine[]): Promise<void>;
  /** Null when nothing was captured or it has expired. */
  load(leaseId: string): Promise<LogLine[] | null>;
  /** The lease whose final logs are kept, while they are; null otherwise. */
  lease(leaseId: string): Promise<EndedLease | null>;
}

/** Lines kept per lease. @defaultValue 1000 */
export const FINAL_LOG_LINES = 1000;
/**
 * Text kept per lease, at most: a thousand lines cut at 4096 characters would be 4 MiB to encode,
 * store and send, which holds the event loop of the process that stops the lease. @defaultValue 512 KiB
 */
export const FINAL_LOG_CHARS = 512 * 1024;
/** How long final logs are kept. @defaultValue 24 hours */
export const FINAL_LOGS_TTL_MS = 24 * 3_600_000;
