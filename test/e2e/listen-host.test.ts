import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp } from '../support/app-process.js';
import { describeWith } from '../support/services.js';

/** One of this host's own IPv4 addresses that is not loopback: where an unrestricted server also answers. */
function otherHostAddress(): string {
  const address = Object.values(networkInterfaces())
    .flat()
    .find((entry) => entry?.family === 'IPv4' && !entry.internal)?.address;
  if (!address) throw new Error('this host has no IPv4 address besides loopback');
  return address;
}

/** Whether anything answers HTTP at `origin`; a refused connection is `false`. */
async function answers(origin: string): Promise<boolean> {
  try {
    await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(5_000) });
    return true;
  } catch {
    return false;
  }
}

/**
 * `HOST` is where the product listens: the built product with `HOST=127.0.0.1` serves its web
 * server and its port proxy on loopback only, and neither answers on the host's other addresses.
 */
describeWith({ redis: true, docker: true })('HOST keeps both servers on the address it names', () => {
  let run: ReturnType<typeof startTestApp>;

  beforeAll(() => {
    run = startTestApp([], { HOST: '127.0.0.1' });
  });

  afterAll(async () => {
    expect(await run.stop()).toBe(0);
    await run.clean();
  });

  it('GIVEN HOST=127.0.0.1 THEN the web server and the port proxy answer on loopback and nowhere else', async () => {
    const other = otherHostAddress();
    for (const origin of [await run.url(), await run.portsUrl()]) {
      const { port } = new URL(origin);
      expect(await answers(`http://127.0.0.1:${port}`), `${origin} on loopback`).toBe(true);
      expect(await answers(`http://${other}:${port}`), `${origin} on ${other}`).toBe(false);
    }
  });
});
