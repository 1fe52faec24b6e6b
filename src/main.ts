import { type App, startApp } from './app.js';
import { exitOnFatal } from './composition/fatal.js';
import { createLogger } from './composition/logging.js';
import { loadSettings } from './composition/settings.js';

/** A stop that takes longer than this is cut short: the cleanup job's claims expire and another run finishes them. */
const STOP_DEADLINE_MS = 20_000;

/**
 * The entry point: `npm start` (web, cleanup job, configured chat bots; the console too when run in
 * a terminal) and `npm run console` (the same with the console attached to a pipe as well).
 */
async function main(): Promise<void> {
  const terminal = process.stdin.isTTY === true;
  const consoleMode = process.argv.includes('--console') || terminal;
  const settings = loadSettings();
  // With the console on standard output, logs go to standard error so replies stay readable.
  const { logger, file } = createLogger(settings.config, { terminal, fd: consoleMode ? 2 : 1 });
  // Standard output may be a pipe whose reader goes away (EPIPE): pino goes quiet by itself, and
  // the console ends on its own; the announce line must not end the process either.
  process.stdout.on('error', (error) => logger.warn({ error: error.message }, 'standard output failed'));
  if (file) process.stdout.write(`The log is in ${file}; warnings and errors show here too.\n`);
  const app: App = await startApp(settings, {
    logger,
    console: consoleMode
      ? { input: process.stdin, output: process.stdout, interactive: terminal }
      : undefined,
    announce: (line) => process.stdout.write(`${line}\n`),
  });
  // Start-up warnings are printed by the log's worker thread: let them out before the first prompt.
  logger.flush(() => app.greet());
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

main().catch(exitOnFatal('containerlease'));
