import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, expect, it } from 'vitest';
import { startTestApp } from '../support/app-process.js';
import { eventually } from '../support/eventually.js';
import { describeWith } from '../support/services.js';

/** A port nobody listens on now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * The built product whose standard output is a pipe nobody reads any more (a log shipper that
 * died, a terminal that closed): writing there fails with EPIPE, reported as 'error'.
 */
describeWith({ redis: true, docker: true })('standard output going away', () => {
  let run: ReturnType<typeof startTestApp> | undefined;
  afterEach(async () => {
    run?.app.child.kill('SIGKILL');
    await run?.clean();
  });

  it('GIVEN no console and standard output closed before the dashboard link is printed THEN the product keeps serving', async () => {
    const port = await freePort();
    run = startTestApp([], { PORT: String(port) });
    run.app.child.stdout.destroy();
    const healthy = async () =>
      (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined))?.status === 200;
    await eventually(healthy, 60_000, 'the product to answer');
    // The dashboard link is printed just after the server listens; give the write time to fail.
    await sleep(2_000);
    expect(run.app.child.exitCode, run.app.stderr.slice(-2000)).toBeNull();
    expect(await healthy()).toBe(true);
  });

  it('GIVEN the console and its output closed WHEN a command is answered THEN the console ends and the product stops cleanly', async () => {
    run = startTestApp(['--console'], {});
    const url = await run.url();
    run.app.child.stdout.destroy();
    run.app.send('/lease images');
    expect(await run.app.exited, run.app.stderr.slice(-2000)).toBe(0);
    expect(run.app.stderr).toContain('console input ended');
    expect(await fetch(`${url}/healthz`).catch(() => 'gone')).toBe('gone');
  });
});
