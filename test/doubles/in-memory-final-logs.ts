import type { LogLine } from '../../src/core/ports/container-runtime.js';
import type { FinalLogs } from '../../src/core/ports/final-logs.js';

/** Final logs in memory, for unit tests. */
export class InMemoryFinalLogs implements FinalLogs {
  readonly saved = new Map<string, LogLine[]>();

  async save(leaseId: string, lines: readonly LogLine[]): Promise<void> {
    this.saved.set(leaseId, [...lines]);
  }

  async load(leaseId: string): Promise<LogLine[] | null> {
    return this.saved.get(leaseId) ?? null;
  }
}
