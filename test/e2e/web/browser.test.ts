import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { eventually } from '../../support/eventually.js';
import { describeWith, queuedNotices } from '../../support/services.js';
import { bundledPage, launchChromium, screenshot, watchPage } from '../../support/web-browser.js';
import { call } from '../../support/web-client.js';
import { API_TOKEN, SPILL_BYTES, startWebFixture, type WebFixture } from '../../support/web-fixture.js';

interface Lease {
  id: string;
  logsUrl: string;
  expiryTime: string;
}

describeWith({ redis: true, docker: true })('The page in a real browser (Debian chromium)', () => {
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

  const start = async () => {
    f = await startWebFixture({ staticDir });
    context = await browser.newContext({ viewport: { width: 1100, height: 700 }, acceptDownloads: true });
    page = await context.newPage();
    watch = await watchPage(page);
  };
  afterEach(async () => {
    await context?.close();
    await f?.close();
  });

  const provision = async (imageType = 'busybox', durationMinutes = 5): Promise<Lease> =>
    (
      await call(f.web.url, 'POST', '/api/provision', {
        token: API_TOKEN,
        body: { imageType, durationMinutes },
      })
    ).body as Lease;
  const terminalText = () =>
    page
      .locator('.xterm-rows')
      .textContent()
      .then((text) => text ?? '');
  const highestLine = async () =>
    Math.max(0, ...[...(await terminalText()).matchAll(/line (\d+)/g)].map((m) => Number(m[1])));
  /** xterm draws on animation frames; two of them and the rows show what the buffer holds. */
  const nextFrames = () =>
    page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
  const expectCleanPage = async () => {
    expect(await watch.violations()).toEqual([]);
    expect(watch.errors).toEqual([]);
  };

  /** Signs the browser in as the API caller `ci`, who owns the leases `provision` makes. */
  const signIn = () => page.goto(f.links.dashboardUrl('api:ci'));

  it('GIVEN a signed logs link alone WHEN opened THEN the token leaves the URL and numbered lines appear live, under the CSP, without the lease’s controls', async () => {
    await start();
    const lease = await provision();
    const response = await page.goto(lease.logsUrl);
    expect(page.url()).toBe(`${f.web.url}/logs/${lease.id}`);
    expect(response?.headers()['content-security-policy']).toMatch(/script-src 'self'/);
    await page.locator('#connection', { hasText: 'live' }).waitFor();
    await page.locator('.xterm-rows', { hasText: 'line 2' }).waitFor({ timeout: 60_000 });
    const seen = await highestLine();
    await page.locator('.xterm-rows', { hasText: `line ${seen + 2}` }).waitFor({ timeout: 60_000 });
    await page.locator('#notice', { hasText: 'This link shows the logs only' }).waitFor();
    for (const control of ['#stop', '#extend', '#countdown']) {
      expect(await page.locator(control).isHidden(), control).toBe(true);
    }
    await screenshot(page, 'logs-live');
    await expectCleanPage();
  });

  it('GIVEN the log page of a signed-in owner WHEN Extend is clicked THEN the countdown moves by the minutes asked', async () => {
    await start();
    const lease = await provision();
    await signIn();
    await page.goto(lease.logsUrl);
    const countdown = page.locator('#countdown');
    await page.locator('#extend:enabled').waitFor();
    await expect(countdown.textContent()).resolves.toMatch(/^4m \d\ds left$/);
    expect(await countdown.getAttribute('data-expires-at')).toBe(lease.expiryTime);
    await page.fill('#extend-minutes', '30');
    await page.click('#extend');
    await page.locator('#countdown', { hasText: /^3[45]m \d\ds left$/ }).waitFor();
    const after = (await countdown.getAttribute('data-expires-at')) ?? '';
    expect(Date.parse(after) - Date.parse(lease.expiryTime)).toBe(30 * 60_000);
    expect((await f.store.get(lease.id))?.expiresAt).toBe(Date.parse(after));
    await screenshot(page, 'logs-extended');
    await expectCleanPage();
  });

  it('GIVEN a dashboard link WHEN provisioning from the form THEN the new lease is listed with its countdown', async () => {
    await start();
    await page.goto(f.links.dashboardUrl('local:alice'));
    expect(page.url()).toBe(`${f.web.url}/`);
    await page.locator('#who', { hasText: 'local:alice' }).waitFor();
    await page.selectOption('#image-type', 'busybox');
    await page.fill('#minutes', '5');
    await page.click('#provision');
    const row = page.locator('#lease-rows tr[data-lease-id]');
    await row.first().waitFor();
    expect(await row.count()).toBe(1);
    const id = (await row.first().getAttribute('data-lease-id')) ?? '';
    expect((await f.store.get(id))?.owner).toBe('local:alice');
    await expect(row.first().locator('.countdown').textContent()).resolves.toMatch(/^4m \d\ds left$/);
    await expect(row.first().textContent()).resolves.toContain('running');
    await screenshot(page, 'dashboard-provisioned');
    await expectCleanPage();
  });

  it('GIVEN a dashboard link WHEN provisioning with a port and following its link THEN the app is served on the proxy’s origin with none of our cookies, and a row opens another port', async () => {
    await start();
    await page.goto(f.links.dashboardUrl('local:alice'));
    await page.locator('#who', { hasText: 'local:alice' }).waitFor();
    await page.selectOption('#image-type', 'webapp');
    await page.fill('#minutes', '5');
    await page.fill('#port', '8000');
    await page.click('#provision');
    const link = page.locator('#form-status a', { hasText: 'Open port 8000' });
    await link.waitFor({ timeout: 60_000 });
    const id =
      (await page.locator('#lease-rows tr[data-lease-id]').first().getAttribute('data-lease-id')) ?? '';
    const [app] = await Promise.all([context.waitForEvent('page'), link.click()]);
    await app.waitForLoadState();
    await eventually(async () => (await app.reload())?.ok() || undefined, 10_000, 'the app to answer');
    expect(app.url()).toBe(`${f.ports.url}/${id}/8000/`);
    expect(await app.textContent('body')).toContain('hello from the lease');
    await app.goto(`${f.ports.url}/${id}/8000/cgi-bin/env`);
    const env = (await app.textContent('body')) ?? '';
    expect(env).toContain(`HTTP_X_FORWARDED_PREFIX=/${id}/8000`);
    // The browser sends the dashboard's session to every port of the host; the app never sees it.
    expect(env).not.toMatch(/cl_session|cl_port/);
    await app.close();

    const row = page.locator(`#lease-rows tr[data-lease-id="${id}"]`);
    await row.locator('.port-form input').fill('9000');
    await row.locator('.port-form button').click();
    const rowLink = row.locator('.port-link a', { hasText: 'Open port 9000' });
    await rowLink.waitFor();
    expect(await rowLink.getAttribute('href')).toMatch(
      new RegExp(`^${f.ports.url}/${id}/9000/\\?cl_token=v1\\.`),
    );
    await screenshot(page, 'dashboard-port-links');
    await expectCleanPage();
  });

  it('GIVEN the log page WHEN the connection drops THEN it reconnects and the downloaded log has every line once', async () => {
    await start();
    const sockets: Socket[] = [];
    f.web.server.on('upgrade', (_req, socket: Socket) => sockets.push(socket));
    const lease = await provision();
    await page.goto(lease.logsUrl);
    await page.locator('.xterm-rows', { hasText: 'line 3' }).waitFor({ timeout: 60_000 });
    for (const socket of sockets.splice(0)) socket.destroy();
    await page.locator('#connection', { hasText: 'reconnecting' }).waitFor();
    await page.locator('#connection', { hasText: 'live' }).waitFor({ timeout: 60_000 });
    const before = await highestLine();
    await page.locator('.xterm-rows', { hasText: `line ${before + 2}` }).waitFor({ timeout: 60_000 });
    const download = page.waitForEvent('download');
    await page.click('#download');
    const file = await (await download).path();
    const numbers = [...readFileSync(file, 'utf8').matchAll(/ stdout line (\d+)$/gm)].map((m) =>
      Number(m[1]),
    );
    expect(numbers.length).toBeGreaterThanOrEqual(before + 2);
    expect(numbers).toEqual(numbers.map((_, i) => i + 1));
    await expectCleanPage();
  });

  it('GIVEN a chatty container WHEN the reader scrolls up THEN the view stays put and offers to follow again', async () => {
    await start();
    const lease = await provision('chatty');
    await page.goto(lease.logsUrl);
    const terminal = page.locator('#terminal');
    const received = async () => Number(await terminal.getAttribute('data-lines'));
    await eventually(async () => (await received()) > 5000, 60_000, '5000 lines in the page');
    await terminal.hover();
    await page.mouse.wheel(0, -3000);
    await page.locator('#jump').waitFor({ state: 'visible' });
    await nextFrames();
    const view = await terminalText();
    const count = await received();
    // Far more than the page's scrollback of 20 000 lines, which the reader's place would leave.
    await eventually(async () => (await received()) > count + 30_000, 60_000, 'more lines to arrive');
    await nextFrames();
    expect(await terminalText()).toBe(view);
    await expect(page.locator('#jump').textContent()).resolves.toMatch(/^↓ [\d,]+ new lines$/);
    await screenshot(page, 'logs-scrolled-up');
    await page.click('#jump');
    await page.locator('#jump').waitFor({ state: 'hidden' });
    await eventually(
      async () => (await highestLine()) > count + 30_000,
      60_000,
      'the waiting lines to be drawn',
    );
    await expectCleanPage();
  });

  it('GIVEN the log page of a signed-in owner WHEN Stop is clicked twice THEN the page says the lease ended and shows its final logs', async () => {
    await start();
    const lease = await provision('graceful');
    await signIn();
    await page.goto(lease.logsUrl);
    await page.locator('.xterm-rows', { hasText: 'line 2' }).waitFor({ timeout: 60_000 });
    // The container says its last words on stderr as it stops; the stop keeps them as final logs.
    await page.click('#stop');
    await page.locator('#stop', { hasText: 'Click again' }).waitFor();
    const stopped = page.waitForResponse(
      (response) => response.request().method() === 'DELETE' && response.url().includes(lease.id),
    );
    await page.click('#stop');
    await page.locator('#notice', { hasText: 'This lease has ended' }).waitFor();
    // stderr is drawn in ANSI red (colour 1), which xterm renders as a class.
    await page.locator('.xterm-rows span.xterm-fg-1', { hasText: 'final words' }).waitFor();
    await expect(page.locator('#countdown').textContent()).resolves.toBe('ended');
    // The page learns the end from its socket as the container goes; the lease record is deleted
    // when the stop request itself finishes.
    expect((await stopped).status()).toBe(204);
    expect(await f.store.get(lease.id)).toBeNull();
    expect((await f.finalLogs.load(lease.id))?.at(-1)).toMatchObject({
      stream: 'stderr',
      text: 'final words',
    });
    await screenshot(page, 'logs-ended');
    await expectCleanPage();
  });

  it('GIVEN an admin signed in WHEN stopping another owner’s lease with a reason THEN its owner’s notice names the admin and the reason, usage and the trail show, and a non-admin sees no admin section', async () => {
    await start();
    const lease = await provision();
    await page.goto(f.links.dashboardUrl('local:admin'));
    await page.locator('#who', { hasText: 'local:admin (admin)' }).waitFor();
    const row = page.locator(`#all-lease-rows tr[data-lease-id="${lease.id}"]`);
    await row.waitFor();
    await expect(row.locator('td').allTextContents()).resolves.toEqual([
      lease.id,
      'api:ci',
      'api',
      'busybox',
      expect.stringMatching(/^4m \d\ds left$/),
      expect.stringContaining('Stop'),
    ]);
    await page.locator('#usage-rows tr[data-usage="team"]', { hasText: 'api' }).waitFor();

    await row.getByLabel(`Reason for stopping ${lease.id}`).fill('mining crypto');
    await row.getByRole('button', { name: 'Stop' }).click();
    await row.getByRole('button', { name: 'Really stop?' }).click();
    await page.locator('#notice', { hasText: `Lease ${lease.id} stopped; api:ci is told why.` }).waitFor();
    await row.waitFor({ state: 'detached' });
    const notices = (await queuedNotices(f)).filter((notice) => notice.leaseId === lease.id);
    expect(notices).toEqual([
      expect.objectContaining({
        kind: 'stopped',
        owner: 'api:ci',
        stoppedBy: 'local:admin',
        reason: 'mining crypto',
      }),
    ]);

    await page.selectOption('#usage-days', '30');
    await page.locator('#usage-rows tr[data-usage="owner"]', { hasText: 'api:ci' }).waitFor();
    await page.fill('#audit-lease', lease.id);
    await page.getByRole('button', { name: 'Show' }).click();
    await page.locator('#audit-rows tr', { hasText: 'mining crypto' }).waitFor();
    await expect(page.locator('#audit-rows tr').last().locator('td').allTextContents()).resolves.toEqual([
      expect.any(String),
      'stop',
      'local:admin',
      expect.stringContaining('reason: mining crypto'),
      'removed',
    ]);
    await screenshot(page, 'dashboard-admin');
    await expectCleanPage();

    const owner = await context.newPage();
    await owner.goto(f.links.dashboardUrl('api:ci'));
    await owner.locator('#who', { hasText: 'api:ci' }).waitFor();
    await owner.locator('#app').waitFor();
    expect(await owner.locator('#admin').isHidden()).toBe(true);
    expect(await owner.locator('#who').textContent()).toBe('Signed in as api:ci');
  });

  it('GIVEN a container writing 40 000 bytes without a newline THEN the page shows them in cut lines, each saying so, as the download does', async () => {
    await start();
    const lease = await provision('spill');
    await page.goto(lease.logsUrl);
    await page.locator('.xterm-rows', { hasText: 'spill done' }).waitFor({ timeout: 60_000 });
    await page.locator('.xterm-rows', { hasText: 'line cut at 4096 characters' }).waitFor();
    const download = page.waitForEvent('download');
    await page.click('#download');
    const lines = readFileSync(await (await download).path(), 'utf8').split('\n');
    const note = '[line cut at 4096 characters; it continues below]';
    const spilled = lines.filter((line) => / stdout y+( |$)/.test(line));
    expect(
      spilled.map((line) =>
        line
          .split(' ')
          .slice(2)
          .join(' ')
          .replace(/y+/, (ys) => String(ys.length)),
      ),
    ).toEqual([
      ...Array.from({ length: Math.floor(SPILL_BYTES / 4096) }, () => `4096 ${note}`),
      String(SPILL_BYTES % 4096),
    ]);
    await screenshot(page, 'logs-cut');
    await expectCleanPage();
  });
});
