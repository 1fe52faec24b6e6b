import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { psIn } from '../../support/container-ps.js';
import { eventually } from '../../support/eventually.js';
import { describeWith } from '../../support/services.js';
import { bundledPage, launchChromium, screenshot, watchPage } from '../../support/web-browser.js';
import { call } from '../../support/web-client.js';
import { API_TOKEN, provisionOverApi, startWebFixture, type WebFixture } from '../../support/web-fixture.js';

/** One line of the 10 MB file: letters of two and three bytes, a four-byte emoji, a number. */
const MULTI_BYTE = 'ünïcødé ✓ 日本語 🚀';
const BIG_FILE_LINES = 340_000;

describeWith({ redis: true, docker: true })('The terminal page in a real browser (Debian chromium)', () => {
  let browser: Browser;
  let staticDir: string;
  let f: WebFixture;
  let context: BrowserContext;
  let page: Page;
  let watch: Awaited<ReturnType<typeof watchPage>>;

  beforeAll(async () => {
    [staticDir, browser] = await Promise.all([bundledPage(), launchChromium()]);
  });
  afterAll(() => browser?.close());
  afterEach(async () => {
    await context?.close();
    await f?.close();
  });

  const start = async () => {
    f = await startWebFixture({ staticDir });
    context = await browser.newContext({ viewport: { width: 1100, height: 700 }, acceptDownloads: true });
    page = await context.newPage();
    watch = await watchPage(page);
  };
  const provision = (imageType = 'quiet') => provisionOverApi(f, imageType);
  const signIn = () => page.goto(f.links.dashboardUrl('api:ci'));
  /**
   * Types a line into the shell as a person would, and waits for `expected` on the screen (whose
   * rows read as one text). Commands echo what they print as `''`-split words, so the echo of the
   * typed line never matches.
   */
  const run = async (line: string, expected: string | RegExp, timeout = 30_000) => {
    await page.locator('#terminal').click();
    await page.keyboard.type(line);
    await page.keyboard.press('Enter');
    await page.locator('.xterm-rows', { hasText: expected }).waitFor({ timeout });
  };
  const expectCleanPage = async () => {
    expect(await watch.violations()).toEqual([]);
    expect(watch.errors).toEqual([]);
  };

  it('GIVEN a signed-in owner WHEN echo $((6*7)) is typed THEN 42 appears, and stty size follows the window', async () => {
    await start();
    const lease = await provision();
    await signIn();
    await page.goto(`${f.web.url}/terminal/${lease.id}`);
    await page.locator('#connection', { hasText: 'live' }).waitFor();
    await page.locator('#countdown', { hasText: /^4m \d\ds left$/ }).waitFor();
    await run('echo $((6*7))', /echo \$\(\(6\*7\)\)\s*42/);
    await screenshot(page, 'terminal-42');

    const box = page.locator('#terminal');
    const before = await box.getAttribute('data-cols');
    await page.setViewportSize({ width: 800, height: 500 });
    await eventually(
      async () => (await box.getAttribute('data-cols')) !== before,
      10_000,
      'the terminal to refit',
    );
    const [cols, rows] = [await box.getAttribute('data-cols'), await box.getAttribute('data-rows')];
    await run('stty size', `${rows} ${cols}`);
    await expectCleanPage();
  });

  it('GIVEN a 10 MB file of multi-byte text WHEN it is cat to the page THEN every line of the scrollback is whole', async () => {
    await start();
    const lease = await provision();
    const made = await call(f.web.url, 'POST', `/api/containers/${lease.id}/exec`, {
      token: API_TOKEN,
      body: {
        command: `i=0; while [ $i -lt 1000 ]; do printf '${MULTI_BYTE}\\n'; i=$((i+1)); done > /tmp/k; for n in $(seq 340); do cat /tmp/k; done > /tmp/big; wc -c < /tmp/big`,
        timeoutSeconds: 120,
      },
    });
    const size = Number((made.body as { output: string }).output.trim());
    expect(size).toBe(Buffer.byteLength(`${MULTI_BYTE}\n`) * BIG_FILE_LINES);
    expect(size).toBeGreaterThan(10_000_000);
    await page.goto(lease.terminalUrl);
    await page.locator('#connection', { hasText: 'live' }).waitFor();
    await run("cat /tmp/big; echo CAT''-DONE", 'CAT-DONE', 240_000);
    expect(Number(await page.locator('#terminal').getAttribute('data-bytes'))).toBeGreaterThan(size);
    const download = page.waitForEvent('download');
    await page.click('#download');
    const lines = readFileSync(await (await download).path(), 'utf8').split('\n');
    const catted = lines.filter((line) => line.startsWith('ü') || line.includes('\uFFFD'));
    // The scrollback's 10 000 lines, over 400 kB of output: many frames, each a place to split a character.
    expect(catted.length).toBeGreaterThan(9_000);
    expect(catted.filter((line) => line !== MULTI_BYTE)).toEqual([]);
    await screenshot(page, 'terminal-multibyte');
    await expectCleanPage();
  }, 300_000);

  it('GIVEN a shell with background jobs WHEN the tab is closed THEN no process it started is left in the container', async () => {
    await start();
    const lease = await provision();
    await page.goto(lease.terminalUrl);
    await page.locator('#notice', { hasText: 'This link shows the terminal only' }).waitFor();
    await run("sleep 5151 & (setsid sleep 5252 &); echo st''arted", 'started');
    expect(await psIn(lease.containerId)).toMatch(/sleep 5151[\s\S]*sleep 5252/);
    await page.close();
    await eventually(
      async () => !/sleep 5151|sleep 5252|sh -l/.test(await psIn(lease.containerId)),
      30_000,
      'the shell and its jobs to end',
    );
    expect(await psIn(lease.containerId)).toMatch(/sleep infinity/);
  });

  it('GIVEN an open terminal WHEN its lease is stopped THEN the page says the terminal was closed because the lease ended', async () => {
    await start();
    const lease = await provision();
    await signIn();
    await page.goto(`${f.web.url}/terminal/${lease.id}`);
    await run("echo re''ady", 'ready');
    expect(
      (await call(f.web.url, 'DELETE', `/api/containers/${lease.id}`, { token: API_TOKEN })).status,
    ).toBe(204);
    await page.locator('#notice', { hasText: 'The terminal was closed: lease ended.' }).waitFor();
    await expect(page.locator('#countdown').textContent()).resolves.toBe('ended');
    expect(await page.locator('#reconnect').isHidden()).toBe(true);
    await screenshot(page, 'terminal-lease-ended');
    await expectCleanPage();
  });

  it('GIVEN keys typed while the terminal is still connecting THEN the shell gets them once it opens', async () => {
    await start();
    const lease = await provision();
    await signIn();
    let connect = () => {};
    const typed = new Promise<void>((resolve) => {
      connect = resolve;
    });
    // The page's socket stays connecting until the line is typed, as on a slow link or a busy host.
    await page.routeWebSocket(/\/terminal\//, async (socket) => {
      await typed;
      socket.connectToServer();
    });
    await page.goto(`${f.web.url}/terminal/${lease.id}`);
    await page.locator('#terminal').click();
    await page.keyboard.type("echo typed''-ahead");
    await page.keyboard.press('Enter');
    expect(await page.locator('#connection').textContent()).not.toBe('live');
    connect();
    await page.locator('.xterm-rows', { hasText: 'typed-ahead' }).waitFor({ timeout: 30_000 });
    await page.locator('#connection', { hasText: 'live' }).waitFor();
    await expectCleanPage();
  });

  it('GIVEN a quiet container’s log page and the dashboard THEN each offers the terminal, which opens', async () => {
    await start();
    const lease = await provision();
    await signIn();
    await page.locator(`#lease-rows tr[data-lease-id="${lease.id}"] a`, { hasText: 'Terminal' }).waitFor();
    await page.goto(`${f.web.url}/logs/${lease.id}`);
    await page.locator('#quiet', { hasText: 'This container has printed nothing' }).waitFor();
    await screenshot(page, 'logs-quiet');
    await page.locator('#quiet a', { hasText: 'Open a terminal' }).click();
    await page.waitForURL(`${f.web.url}/terminal/${lease.id}`);
    await run("echo from-the-logs''-page", 'from-the-logs-page');
    await page.goto(`${f.web.url}/`);
    await page.locator(`#lease-rows tr[data-lease-id="${lease.id}"] a`, { hasText: 'Terminal' }).click();
    await page.waitForURL(`${f.web.url}/terminal/${lease.id}`);
    await run("echo from-the''-dashboard", 'from-the-dashboard');
    await expectCleanPage();
  });
});
