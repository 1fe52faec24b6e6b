import type { LogLine } from '../../src/core/ports/container-runtime.js';
import type { EndedLease, FinalLogs } from '../../src/core/ports/final-logs.js';

/** Final logs in memory, for unit tests. */
export class InMemoryFinalLogs implements FinalLogs {
  readonly saved = new Map<string, { lease: EndedLease; lines: LogLine[] }>();

  async save(lease: EndedLease, lines: readonly LogLine[]): Promise<void> {
    this.saved.set(lease.id, { lease, lines: [...lines] });
  }

  async load(leaseId: string): Promise<LogLine[] | null> {
    return this.saved.get(leaseId)?.lines ?? null;
  }

  async lease(leaseId: string): Promise<EndedLease | null> {
    return this.saved.get(leaseId)?.lease ?? null;
  }
}
