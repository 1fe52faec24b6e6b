import { join } from 'node:path';
import pino from 'pino';
import type { Config } from '../core/config/config.js';
import { redactLinkTokens } from '../core/links/redact-links.js';
import { redactCredentials, redactIn } from '../core/redact.js';

export interface LogSetup {
  readonly logger: pino.Logger;
  /** Where the JSON log is written when it goes to a file (a terminal run with LOG_FORMAT unset). */
  readonly file: string | undefined;
}

export interface LogTarget {
  /** A person is watching: the process runs in a terminal. */
  readonly terminal: boolean;
  /** Where log lines go when they go to the terminal or a pipe: 2 when standard output carries replies. */
  readonly fd: 1 | 2;
}

const BASE = { app: 'containerlease' };

/** pino-pretty's options for one short line per entry: the time, the level, the message, then the fields. */
const READABLE = { singleLine: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,app' };

/** Every secret a log line or an error message might carry, blotted out. */
export function redactSecrets(text: string): string {
  return redactLinkTokens(redactCredentials(text));
}

/** The JSON log of a terminal run, under DATA_DIR. */
export function logFile(dataDir: string): string {
  return join(dataDir, 'logs', 'containerlease.log');
}

/**
 * The process's logger. LOG_FORMAT=json writes JSON lines to `fd` (what log collectors read) and
 * LOG_FORMAT=pretty readable ones. Unset, a run nobody watches writes JSON; a run in a terminal
 * writes the JSON log to a file under DATA_DIR and shows only warnings and errors, one readable
 * line each, so the console stays readable. Pretty lines and the file are written by pino
 * transports in a worker thread, which flushes on exit.
 */
export function createLogger(
  config: Pick<Config, 'logLevel' | 'logFormat' | 'dataDir'>,
  target: LogTarget,
): LogSetup {
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    base: BASE,
    // No signed link and no URL's credentials (REDIS_URL's password) reach the log, whoever logs
    // it: our code, Bolt's client at debug, an error.
    hooks: {
      logMethod(args, method) {
        method.apply(this, args.map((arg) => redactIn(arg, redactSecrets)) as typeof args);
      },
    },
  };
  const format = config.logFormat ?? (target.terminal ? undefined : 'json');
  if (format === 'json') return { logger: pino(options, pino.destination(target.fd)), file: undefined };
  const readable = { ...READABLE, destination: target.fd, colorize: target.terminal };
  if (format === 'pretty')
    return {
      logger: pino(options, pino.transport({ target: 'pino-pretty', options: readable })),
      file: undefined,
    };
  const file = logFile(config.dataDir);
  const targets: pino.TransportTargetOptions[] = [
    { target: 'pino/file', level: config.logLevel, options: { destination: file, mkdir: true } },
    { target: 'pino-pretty', level: 'warn', options: readable },
  ];
  return { logger: pino(options, pino.transport({ targets })), file };
}
