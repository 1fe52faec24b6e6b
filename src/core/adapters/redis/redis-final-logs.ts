import type { Redis } from 'ioredis';
import { type LogLine, MAX_LOG_LINE_CHARS } from '../../ports/container-runtime.js';
import { FINAL_LOG_LINES, FINAL_LOGS_TTL_MS, type FinalLogs } from '../../ports/final-logs.js';
import type { RedisKeys } from './keys.js';
import { storeCall } from './redis-connection.js';

/** Final logs as one JSON string per lease with a Redis TTL: the only data here that is meant to expire. */
export class RedisFinalLogs implements FinalLogs {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  save(leaseId: string, lines: readonly LogLine[]): Promise<void> {
    // Runtimes cut long lines already; cutting here too keeps one runaway line from blowing the cap.
    const kept = lines
      .slice(-FINAL_LOG_LINES)
      .map((line) =>
        line.text.length > MAX_LOG_LINE_CHARS
          ? { ...line, text: line.text.slice(0, MAX_LOG_LINE_CHARS), cut: true as const }
          : line,
      );
    return storeCall(this.redis, async () => {
      await this.redis.set(this.keys.finalLogs(leaseId), JSON.stringify(kept), 'PX', FINAL_LOGS_TTL_MS);
    });
  }

  load(leaseId: string): Promise<LogLine[] | null> {
    return storeCall(this.redis, async () => {
      const text = await this.redis.get(this.keys.finalLogs(leaseId));
      return text === null ? null : (JSON.parse(text) as LogLine[]);
    });
  }
}
