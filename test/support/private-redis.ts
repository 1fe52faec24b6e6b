import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from './eventually.js';

export interface PrivateRedis {
  /** `unix:///…/redis.sock` */
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * A redis-server of the test's own, on a unix socket in a temp dir, for what must not touch the
 * shared one (its configuration, its loss). `extra` are more server arguments.
 */
export async function startPrivateRedis(...extra: string[]): Promise<PrivateRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'cl-private-redis-'));
  const socket = join(dir, 'redis.sock');
  const server = spawn(
    'redis-server',
    ['--port', '0', '--unixsocket', socket, '--dir', dir, '--save', '', '--appendonly', 'no', ...extra],
    { stdio: 'ignore' },
  );
  await eventually(() => existsSync(socket), 10_000, 'a private redis-server');
  return {
    url: `unix://${socket}`,
    stop: async () => {
      if (server.exitCode !== null || server.signalCode !== null) return;
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGKILL');
      await exited;
    },
  };
}
