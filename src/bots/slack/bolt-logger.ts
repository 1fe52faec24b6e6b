import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from '../../core/ports/logger.js';

/**
 * Bolt's and the Web API client's logger, writing through ours: one structured log for the process.
 * Our logger filters by level, so Bolt is told it logs at `level` only to skip costly debug strings.
 */
export function boltLogger(logger: Logger, level: LogLevel = LogLevel.INFO): BoltLogger {
  let name = 'slack';
  const write =
    (method: keyof Logger) =>
    (...parts: unknown[]): void => {
      const error = parts.find((part): part is Error => part instanceof Error);
      const fields = error ? { component: name, error: error.stack ?? error.message } : { component: name };
      logger[method](fields, parts.map(describe).join(' '));
    };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    setLevel: () => {},
    getLevel: () => level,
    setName: (next: string) => {
      name = next;
    },
  };
}

function describe(part: unknown): string {
  if (typeof part === 'string') return part;
  if (part instanceof Error) return part.message;
  try {
    return JSON.stringify(part) ?? String(part);
  } catch {
    return String(part);
  }
}
