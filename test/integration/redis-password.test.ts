import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AppProcess, testAppEnv } from '../support/app-process.js';
import { eventually } from '../support/eventually.js';
import { describeWith, uniqueInstance, uniquePrefix } from '../support/services.js';

const PASSWORD = 'hunter2-s3cret-redis-pw';

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * A Redis of this test's own that requires a password, and the built product pointed at it with
 * the password in REDIS_URL, as operators write it: the password appears in no log line and no
 * error message, whatever happens.
 */
describeWith({ docker: true })('REDIS_URL with a password', () => {
  let redis: ChildProcess;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'cl-redis-pw-'));
    redis = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--requirepass', PASSWORD, '--dir', dir, '--save', ''],
      {
        stdio: 'ignore',
      },
    );
    await eventually(
      () =>
        new Promise<boolean>((resolve) => {
          const socket = createServer().listen(port, '127.0.0.1');
          socket.once('error', () => resolve(true));
          socket.once('listening', () => socket.close(() => resolve(false)));
        }),
      10_000,
      'the password-protected redis-server',
    );
  });

  afterAll(() => {
    redis.kill('SIGKILL');
  });

  const start = (url: string) =>
    new AppProcess([], {
      ...testAppEnv(uniquePrefix(), uniqueInstance(), url),
      LOG_LEVEL: 'debug',
      CLEANUP_INTERVAL: '1s',
    });

  it('GIVEN the right password THEN the product runs a cleanup, and the password is in no line it prints', async () => {
    const app = start(`redis://:${PASSWORD}@127.0.0.1:${port}`);
    try {
      await app.waitFor(/cleanup run finished/, 60_000);
      await app.waitFor(new RegExp(`"redis":"redis://127\\.0\\.0\\.1:${port}"`), 1_000);
    } finally {
      app.child.kill('SIGTERM');
    }
    expect(await app.exited).toBe(0);
    expect(app.stdout + app.stderr).not.toContain(PASSWORD);
  }, 90_000);

  it.each([
    ['a wrong password', `redis://:wrong-${PASSWORD}@127.0.0.1`, 1],
    ['a user and a wrong password', `redis://ops:wrong-${PASSWORD}@127.0.0.1`, 1],
    ['a malformed URL', `redis//:${PASSWORD}@127.0.0.1`, 2],
  ])(
    'GIVEN %s THEN start-up fails, and neither the log nor the message shows it',
    async (_, url, code) => {
      const app = start(url.startsWith('redis//') ? url : url.replace('127.0.0.1', `127.0.0.1:${port}`));
      expect(await app.exited).toBe(code);
      expect(app.stderr).toMatch(/^containerlease: .+\n$/m);
      expect(app.stdout + app.stderr).not.toContain(PASSWORD);
    },
    60_000,
  );
});
