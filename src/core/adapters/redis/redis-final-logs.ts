import { type LogLine, MAX_LOG_LINE_CHARS } from '../../ports/container-runtime.js';
import {
  type EndedLease,
  FINAL_LOG_LINES,
  FINAL_LOGS_TTL_MS,
  type FinalLogs,
} from '../../ports/final-logs.js';
import type { RedisKeys } from './keys.js';
import { type RedisClient, storeCall } from './redis-connection.js';

/** What one key holds: the lease (so its logs link can be signed again) and its lines. */
interface Stored {
  readonly lease: EndedLease;
  readonly lines: LogLine[];
}

/** Final logs as one JSON string per lease with a RedisClient TTL: the only data here that is meant to expire. */
export class RedisFinalLogs implements FinalLogs {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  save(lease: EndedLease, lines: readonly LogLine[]): Promise<void> {
    // Runtimes cut long lines already; cutting here too keeps one runaway line from blowing the cap.
    const kept = lines
      .slice(-FINAL_LOG_LINES)
      .map((line) =>
        line.text.length > MAX_LOG_LINE_CHARS
          ? { ...line, text: line.text.slice(0, MAX_LOG_LINE_CHARS), cut: true as const }
          : line,
      );
    const { id, owner, imageType, hardCapAt } = lease;
    const stored: Stored = { lease: { id, owner, imageType, hardCapAt }, lines: kept };
    return storeCall(this.redis, async () => {
      await this.redis.set(this.keys.finalLogs(id), JSON.stringify(stored), 'PX', FINAL_LOGS_TTL_MS);
    });
  }

  async load(leaseId: string): Promise<LogLine[] | null> {
    return (await this.read(leaseId))?.lines ?? null;
  }

  async lease(leaseId: string): Promise<EndedLease | null> {
    return (await this.read(leaseId))?.lease ?? null;
  }

  /** Keys written before the lease was kept hold the lines alone. */
  private read(leaseId: string): Promise<Partial<Stored> | null> {
    return storeCall(this.redis, async () => {
      const text = await this.redis.get(this.keys.finalLogs(leaseId));
      // Stryker disable next-line ConditionalExpression: JSON.parse(null) is null as well, which reads as nothing kept
      if (text === null) return null;
      const value = JSON.parse(text) as Stored | LogLine[];
      return Array.isArray(value) ? { lines: value } : value;
    });
  }
}
