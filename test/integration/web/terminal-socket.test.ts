import { afterEach, expect, it } from 'vitest';
import { createLifecycleService } from '../../../src/composition/services.js';
import { DockerRuntime } from '../../../src/core/adapters/docker/docker-runtime.js';
import { systemClock } from '../../../src/core/ports/clock.js';
import { silentLogger } from '../../../src/core/ports/logger.js';
import { auditOverApi } from '../../support/audit-trail.js';
import { psIn } from '../../support/container-ps.js';
import { eventually } from '../../support/eventually.js';
import { TEST_SETTINGS } from '../../support/lease-service-fixture.js';
import { describeWith, testDocker } from '../../support/services.js';
import { openTerminal, type TerminalClient } from '../../support/terminal-client.js';
import { call, cookiesOf, errorOf } from '../../support/web-client.js';
import {
  API_TOKEN,
  OPS_TOKEN,
  provisionOverApi,
  startWebFixture,
  type WebFixture,
  type WebFixtureOptions,
} from '../../support/web-fixture.js';

describeWith({ redis: true, docker: true })(
  'The terminal socket, against a real shell in a real container',
  () => {
    let f: WebFixture;
    const open: TerminalClient[] = [];
    afterEach(async () => {
      for (const client of open.splice(0)) client.close();
      await f?.close();
    });

    const start = async (options: WebFixtureOptions = {}) => {
      f = await startWebFixture(options);
    };
    const provision = (imageType = 'busybox') => provisionOverApi(f, imageType);
    const ticketUrl = async (leaseId: string) => {
      const reply = await call(f.web.url, 'POST', `/api/containers/${leaseId}/terminal`, {
        token: API_TOKEN,
      });
      expect(reply.status).toBe(201);
      return reply.body as { ticket: string; url: string; expiresAt: string };
    };
    /** A terminal opened with a fresh ticket, sized 100×30. */
    const terminal = async (leaseId: string): Promise<TerminalClient> => {
      const { url } = await ticketUrl(leaseId);
      const upgrade = await openTerminal(f.web.url, url, { size: { cols: 100, rows: 30 } });
      if (!upgrade.ok) throw new Error(`terminal refused: ${upgrade.status} ${upgrade.body}`);
      open.push(upgrade.client);
      return upgrade.client;
    };

    it('GIVEN a ticket from POST /api/containers/<id>/terminal WHEN its URL is opened THEN a shell of the first frame’s size answers, and the ticket is spent', async () => {
      await start();
      const lease = await provision();
      const before = Date.now();
      const ticket = await ticketUrl(lease.id);
      expect(ticket.url).toBe(
        `${f.web.url.replace('http', 'ws')}/terminal/${lease.id}?ticket=${ticket.ticket}`,
      );
      expect(Date.parse(ticket.expiresAt) - before).toBeGreaterThanOrEqual(59_000);
      expect(Date.parse(ticket.expiresAt) - before).toBeLessThanOrEqual(61_000);
      const upgrade = await openTerminal(f.web.url, ticket.url, { size: { cols: 100, rows: 30 } });
      if (!upgrade.ok) throw new Error(`refused ${upgrade.status}`);
      const shell = upgrade.client;
      open.push(shell);
      shell.type('echo $((6*7)); stty size; echo "$TERM"\r');
      await eventually(
        () => /\r\n42\r\n30 100\r\nxterm-256color\r\n/.test(shell.text()),
        20_000,
        '42, the size and TERM',
      );
      shell.resize(132, 43);
      shell.type('stty size\r');
      await eventually(() => shell.text().includes('43 132'), 20_000, 'the new size');

      const again = await openTerminal(f.web.url, ticket.url);
      expect(again).toMatchObject({ ok: false, status: 401 });
      expect(!again.ok && JSON.parse(again.body).error.message).toMatch(/good once|one socket/);
    });

    it('GIVEN a terminal link WHEN opened THEN only that terminal’s cookie is set, and it opens that lease’s socket and nothing else', async () => {
      await start();
      const lease = await provision();
      const link = new URL(lease.terminalUrl);
      const page = await call(f.web.url, 'GET', link.pathname + link.search);
      expect(page.status).toBe(303);
      expect(page.headers.get('location')).toBe(`/terminal/${lease.id}`);
      const [cookie] = page.headers.getSetCookie();
      expect(cookie).toMatch(
        new RegExp(`^cl_terminal=.*; Path=/terminal/${lease.id}; .*HttpOnly; SameSite=Lax`),
      );
      const jar = cookiesOf(page);
      const upgrade = await openTerminal(f.web.url, `/terminal/${lease.id}`, {
        cookie: jar,
        origin: f.web.url,
        size: { cols: 80, rows: 24 },
      });
      if (!upgrade.ok) throw new Error(`refused ${upgrade.status}`);
      open.push(upgrade.client);
      upgrade.client.type('echo via-link\r');
      await eventually(() => upgrade.client.text().includes('\r\nvia-link\r\n'), 20_000, 'the echo');
      expect((await call(f.web.url, 'GET', '/api/me', { cookie: jar })).status).toBe(401);
      const other = await provision();
      expect(
        await openTerminal(f.web.url, `/terminal/${other.id}`, { cookie: jar, origin: f.web.url }),
      ).toMatchObject({ ok: false, status: 401 });
    });

    it('GIVEN a shell that started background jobs WHEN its socket closes THEN nothing it started is left in the container', async () => {
      await start();
      // `quiet` runs `sleep infinity`: busybox's own loop would be a `sleep 1` of the container's.
      const lease = await provision('quiet');
      const shell = await terminal(lease.id);
      shell.type('sleep 4242 & (setsid sleep 4343 &); (while true; do sleep 1; done) & echo started\r');
      await eventually(() => shell.text().includes('\r\nstarted\r\n'), 20_000, 'the jobs');
      expect(await psIn(lease.containerId)).toMatch(/sleep 4242[\s\S]*sleep 4343/);
      shell.close();
      await shell.closed;
      await eventually(
        async () => !/sleep 4242|sleep 4343|sleep 1$|sh -l/m.test(await psIn(lease.containerId)),
        20_000,
        'the processes to go',
      );
      await eventually(() => f.web.terminalCount === 0, 10_000, 'the bridge to end');
    });

    it('GIVEN a shell that exits THEN the page gets its exit code and the socket closes with 1000', async () => {
      await start();
      const lease = await provision();
      const shell = await terminal(lease.id);
      shell.type('exit 3\r');
      expect(await shell.closed).toEqual({ code: 1000, reason: 'shell exited' });
      expect(shell.controls).toEqual([{ type: 'exit', code: 3 }]);
    });

    it('GIVEN a terminal opened by its owner and one by an admin THEN the audit trail has each one’s open and close, naming who, the owner, team and image, its bytes and its end', async () => {
      await start();
      const lease = await provision();
      const mine = await terminal(lease.id);
      mine.type('echo typed\r');
      await eventually(() => mine.text().includes('\r\ntyped\r\n'), 20_000, 'the echo');
      mine.type('exit 3\r');
      await mine.closed;
      const ticket = await call(f.web.url, 'POST', `/api/containers/${lease.id}/terminal`, {
        token: OPS_TOKEN,
      });
      const upgrade = await openTerminal(f.web.url, (ticket.body as { url: string }).url, {
        size: { cols: 80, rows: 24 },
      });
      if (!upgrade.ok) throw new Error(`refused ${upgrade.status}`);
      open.push(upgrade.client);
      upgrade.client.type('echo admin\r');
      await eventually(() => upgrade.client.text().includes('\r\nadmin\r\n'), 20_000, 'the admin’s echo');
      upgrade.client.close();
      await upgrade.client.closed;

      const trail = async () =>
        (await auditOverApi(f.web.url, lease.id, OPS_TOKEN)).filter((entry) =>
          entry.action.startsWith('terminal'),
        );
      const entries = await eventually(
        async () => {
          const found = await trail();
          return found.length >= 4 && found;
        },
        20_000,
        'both terminals’ entries',
      );
      expect(entries.map((entry) => `${entry.action} ${entry.actor} ${entry.outcome}`)).toEqual([
        'terminal-open api:ci opened',
        'terminal-close api:ci exit',
        'terminal-open api:ops opened',
        'terminal-close api:ops closed',
      ]);
      for (const entry of entries)
        expect(entry).toMatchObject({ owner: 'api:ci', team: 'api', image: 'busybox', leaseId: lease.id });
      const [opened, closed, , adminClosed] = entries;
      expect(closed?.params).toEqual({
        sessionId: opened?.params.sessionId,
        durationMs: expect.any(Number),
        bytesIn: 'echo typed\r'.length + 'exit 3\r'.length,
        bytesOut: expect.any(Number),
        exitCode: 3,
      });
      expect(closed?.params.bytesOut).toBeGreaterThan('typed'.length);
      expect(adminClosed?.params).not.toHaveProperty('exitCode');
    });

    it('GIVEN an open terminal WHEN its lease is stopped THEN it is told the lease ended and closed with 4000', async () => {
      await start();
      const lease = await provision();
      const shell = await terminal(lease.id);
      shell.type('echo ready\r');
      await eventually(() => shell.text().includes('\r\nready\r\n'), 20_000, 'the shell');
      expect(
        (await call(f.web.url, 'DELETE', `/api/containers/${lease.id}`, { token: API_TOKEN })).status,
      ).toBe(204);
      expect(await shell.closed).toEqual({ code: 4000, reason: 'lease ended' });
      expect(shell.controls).toEqual([{ type: 'ended', reason: 'lease ended' }]);
    });

    it('GIVEN an open terminal WHEN its lease expires and the cleanup job removes it THEN it is told the lease ended and closed with 4000', async () => {
      await start();
      const lease = await provision();
      const shell = await terminal(lease.id);
      shell.type('echo ready\r');
      await eventually(() => shell.text().includes('\r\nready\r\n'), 20_000, 'the shell');
      // Due now, by Redis's clock as by the record: what the passing of its minutes would do.
      const past = Date.now() - 1_000;
      await f.redis.hset(f.keys.lease(lease.id), 'expiresAt', String(past));
      await f.redis.zadd(f.keys.expiry(), past, lease.id);
      const cleanup = createLifecycleService(TEST_SETTINGS, {
        store: f.store,
        runtime: new DockerRuntime(testDocker(), 'test'),
        finalLogs: f.finalLogs,
        clock: systemClock,
        logger: silentLogger,
        instanceId: f.instanceId,
      });
      expect((await cleanup.runCleanup()).removed).toBe(1);
      expect(await shell.closed).toEqual({ code: 4000, reason: 'lease ended' });
      expect(shell.controls).toEqual([{ type: 'ended', reason: 'lease ended' }]);
    });

    it(`GIVEN TERMINAL_MAX_PER_LEASE (3) terminals on a lease THEN a fourth is told why and closed with 4003, and one closing makes room`, async () => {
      await start();
      const lease = await provision();
      const shells = await Promise.all([1, 2, 3].map(() => terminal(lease.id)));
      const fourth = await terminal(lease.id);
      expect((await fourth.closed).code).toBe(4003);
      expect(fourth.controls).toEqual([
        { type: 'ended', reason: expect.stringContaining('TERMINAL_MAX_PER_LEASE') },
      ]);
      shells[0]?.close();
      await shells[0]?.closed;
      const fifth = await eventually(
        async () => {
          const next = await terminal(lease.id);
          next.type('echo room\r');
          const ok = await Promise.race([
            next.closed.then(() => false),
            eventually(() => next.text().includes('\r\nroom\r\n'), 20_000, 'the echo').then(() => true),
          ]);
          return ok ? next : undefined;
        },
        20_000,
        'a place to free up',
      );
      expect(fifth.controls).toEqual([]);
    });

    it('GIVEN sizes out of range and text that is no control message THEN each gets an error message and the shell goes on', async () => {
      await start();
      const lease = await provision();
      const shell = await terminal(lease.id);
      shell.resize(0, 0);
      shell.resize(100_000, 100_000);
      shell.resize('80', null);
      shell.socket.send('not json', { binary: false });
      shell.socket.send('{"type":"paste","data":"rm -rf /"}', { binary: false });
      await eventually(() => shell.controls.length === 5, 20_000, 'five refusals');
      expect(shell.controls.map((control) => control.type)).toEqual([
        'error',
        'error',
        'error',
        'error',
        'error',
      ]);
      expect(shell.controls[0]).toMatchObject({
        code: 'validation',
        message: expect.stringContaining('0×0'),
      });
      shell.type('stty size\r');
      await eventually(() => shell.text().includes('30 100'), 20_000, 'the size it had');
    });

    it('GIVEN a terminal nobody types in and nothing prints for TERMINAL_IDLE_MINUTES THEN it is closed with 4004, saying so', async () => {
      await start({ terminal: { idleMinutes: 0.02 } });
      const lease = await provision();
      const shell = await terminal(lease.id);
      expect(await shell.closed).toEqual({ code: 4004, reason: 'idle for 0.02 minutes' });
      expect(shell.controls).toEqual([{ type: 'ended', reason: 'idle for 0.02 minutes' }]);
    });

    it('GIVEN the wrong caller, Origin or URL THEN the upgrade is refused before anything starts', async () => {
      await start();
      const lease = await provision();
      const link = new URL(lease.terminalUrl);
      const token = link.searchParams.get('token') ?? '';
      const session = (owner: string) =>
        `cl_session=${f.tokens.sign({ leaseId: '*', owner, scope: 'session', exp: Date.now() + 600_000 })}`;
      const cases: Array<[string, string, Parameters<typeof openTerminal>[2], number]> = [
        ['no credentials', `/terminal/${lease.id}`, {}, 401],
        ['someone else’s session', `/terminal/${lease.id}`, { cookie: session('local:mallory') }, 403],
        ['a link token in the URL', `/terminal/${lease.id}?token=${token}`, {}, 400],
        ['a forged ticket', `/terminal/${lease.id}?ticket=${'A'.repeat(32)}`, {}, 401],
        ['a malformed ticket', `/terminal/${lease.id}?ticket=../../x`, {}, 401],
        [
          'a foreign Origin',
          `/terminal/${lease.id}`,
          { token: API_TOKEN, origin: 'https://evil.example' },
          403,
        ],
        ['an unknown lease', '/terminal/zzzzzzzzzz', { token: API_TOKEN }, 404],
        ['a deeper path', `/terminal/${lease.id}/x`, { token: API_TOKEN }, 404],
      ];
      for (const [name, path, options, status] of cases) {
        const upgrade = await openTerminal(f.web.url, path, options);
        expect({ name, status: upgrade.ok ? 101 : upgrade.status }).toEqual({ name, status });
      }
      const other = await call(f.web.url, 'POST', `/api/containers/${lease.id}/terminal`, {
        cookie: session('local:mallory'),
        headers: { 'x-requested-by': 'containerlease' },
      });
      expect([other.status, errorOf(other).code]).toEqual([403, 'forbidden']);
      const ticket = await ticketUrl(lease.id);
      const elsewhere = await provision();
      expect(
        await openTerminal(f.web.url, `/terminal/${elsewhere.id}?ticket=${ticket.ticket}`),
      ).toMatchObject({ ok: false, status: 403 });
      expect(f.web.terminalCount).toBe(0);
    });
  },
);
