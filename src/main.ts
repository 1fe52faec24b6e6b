import pino from 'pino';
import { type App, startApp } from './app.js';
import { loadConfig } from './core/config/config.js';
import { asCodedError } from './core/errors.js';
import { redactLinkTokens } from './core/links/redact-links.js';
import { redactCredentials, redactIn } from './core/redact.js';

/** A stop that takes longer than this is cut short: the cleanup job's claims expire and another run finishes them. */
const STOP_DEADLINE_MS = 20_000;

/**
 * The entry point: `npm start` (web, cleanup job, configured chat bots; the console too when run in
 * a terminal) and `npm run console` (the same with the console attached to a pipe as well).
 */
async function main(): Promise<void> {
  const consoleMode = process.argv.includes('--console') || process.stdin.isTTY === true;
  const config = loadConfig();
  // With the console on standard output, logs go to standard error so replies stay readable.
  const logger = pino(
    {
      level: config.logLevel,
      base: { app: 'containerlease' },
      // No signed link and no URL's credentials (REDIS_URL's password) reach the log, whoever logs
      // it: our code, Bolt's client at debug, an error.
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((arg) => redactIn(arg, redactSecrets)) as typeof args);
        },
      },
    },
    pino.destination(consoleMode ? 2 : 1),
  );
  // Standard output may be a pipe whose reader goes away (EPIPE): pino goes quiet by itself, and
  // the console ends on its own; the announce line must not end the process either.
  process.stdout.on('error', (error) => logger.warn({ error: error.message }, 'standard output failed'));
  const app: App = await startApp(config, {
    logger,
    console: consoleMode
      ? { input: process.stdin, output: process.stdout, interactive: process.stdin.isTTY === true }
      : undefined,
    announce: (line) => process.stdout.write(`${line}\n`),
  });
  let stopped = false;
  const stop = async (reason: string) => {
    if (stopped) process.exit(1);
    stopped = true;
    logger.info({ reason }, 'stopping');
    const deadline = setTimeout(() => {
      logger.error({ afterMs: STOP_DEADLINE_MS }, 'stop took too long; exiting');
      process.exit(1);
    }, STOP_DEADLINE_MS);
    deadline.unref();
    await app.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  // Stopping closes the console too; that is not a second request to stop.
  void app.consoleClosed.then(() => stopped || stop('console input ended'));
}

/** Every secret a log line or an error message might carry. */
function redactSecrets(text: string): string {
  return redactLinkTokens(redactCredentials(text));
}

main().catch((error: unknown) => {
  const coded = asCodedError(error);
  const message = coded.code === 'internal' && error instanceof Error ? error.message : coded.message;
  console.error(`containerlease: ${redactSecrets(message)}`);
  process.exit(coded.code === 'config' ? 2 : 1);
});
