import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { ConfigError, StoreUnavailableError } from '../../errors.js';
import type { Logger } from '../../ports/logger.js';

export interface EmbeddedRedis {
  /** `unix:///…/redis.sock` */
  readonly url: string;
  /** Shuts the server down (its append-only file is flushed) unless another process started it. */
  stop(): Promise<void>;
}

/** Unix socket paths longer than this do not fit in `sun_path`. */
const MAX_SOCKET_PATH = 100;

/**
 * The default when REDIS_URL is unset: a private redis-server (from PATH) on a unix socket under
 * DATA_DIR, with append-only persistence and `noeviction`. A server that another ContainerLease
 * process of the same data folder already runs is reused, not restarted.
 */
export async function startEmbeddedRedis(dataDir: string, logger: Logger): Promise<EmbeddedRedis> {
  const dir = join(dataDir, 'redis');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const socket = socketPath(dir);
  const url = `unix://${socket}`;
  if (await answers(socket)) {
    logger.info({ redis: url }, 'reusing the embedded redis-server of this data folder');
    return { url, stop: async () => {} };
  }
  const binary = findOnPath('redis-server');
  const child = spawn(binary, serverArgs(dir, socket), { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  // A spawn that fails (EACCES, EAGAIN) or a signal that cannot be sent comes as 'error', which
  // would otherwise end the process; the server not answering then says why.
  let failure: Error | undefined;
  child.on('error', (error) => {
    failure = error;
    logger.warn({ error: error.message }, 'embedded redis-server error');
  });
  await waitUntilReady(
    socket,
    child,
    () => failure,
    () => stderr,
  );
  logger.info({ redis: url, dir }, 'embedded redis-server started (append-only persistence)');
  return { url, stop: () => shutdown(child) };
}

function serverArgs(dir: string, socket: string): string[] {
  return [
    '--port',
    '0',
    '--unixsocket',
    socket,
    '--unixsocketperm',
    '700',
    '--dir',
    dir,
    '--appendonly',
    'yes',
    '--appendfsync',
    'everysec',
    '--maxmemory-policy',
    'noeviction',
    '--save',
    '',
    '--daemonize',
    'no',
    '--loglevel',
    'warning',
  ];
}

function socketPath(dir: string): string {
  const preferred = join(dir, 'redis.sock');
  if (preferred.length <= MAX_SOCKET_PATH) return preferred;
  const hash = createHash('sha256').update(dir).digest('hex').slice(0, 16);
  return join(tmpdir(), `containerlease-${hash}.sock`);
}

export function findOnPath(command: string, path = process.env.PATH ?? ''): string {
  for (const folder of path.split(delimiter).filter(Boolean)) {
    const candidate = join(folder, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {}
  }
  throw new ConfigError(
    `REDIS_URL is not set and ${command} is not on PATH: install Redis (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) or set REDIS_URL=redis://host:6379`,
  );
}

async function answers(socket: string): Promise<boolean> {
  const redis = new Redis({
    path: socket,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    // Stryker disable next-line ArrowFunction: any answer but a number stops ioredis reconnecting, undefined as null
    retryStrategy: () => null,
  });
  redis.on('error', () => {});
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
    // Stryker disable next-line BlockStatement: an emptied catch returns undefined, which the caller reads as false
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

async function waitUntilReady(
  socket: string,
  child: ChildProcess,
  failure: () => Error | undefined,
  stderr: () => string,
): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if (await answers(socket)) return;
    if (child.exitCode !== null || failure()) break;
    await sleep(100);
  }
  child.kill('SIGKILL');
  const why = failure()?.message ?? (stderr().trim() || 'no answer on its socket');
  throw new StoreUnavailableError(`The embedded redis-server did not start: ${why}`);
}

async function shutdown(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(5_000).then(() => child.kill('SIGKILL'))]);
}
