import { afterEach, expect, it } from 'vitest';
import { CLOSE_CODES } from '../../../src/web/logs/log-protocol.js';
import { eventually } from '../../support/eventually.js';
import { describeWith } from '../../support/services.js';
import { call, cookiesOf, type LogClient, openLogs } from '../../support/web-client.js';
import { CountingRuntime } from '../../support/web-counting-runtime.js';
import {
  API_TOKEN,
  startWebFixture,
  type WebFixture,
  type WebFixtureOptions,
} from '../../support/web-fixture.js';

interface Lease {
  id: string;
  logsUrl: string;
}

describeWith({ redis: true, docker: true })(
  'Live logs over WebSocket from one Docker stream per lease',
  () => {
    let f: WebFixture | undefined;
    let runtime: CountingRuntime;
    const clients: LogClient[] = [];

    afterEach(async () => {
      for (const client of clients.splice(0)) client.close();
      await f?.close();
      f = undefined;
    });

    const start = async (options: WebFixtureOptions = {}) => {
      const fixture = await startWebFixture({
        ...options,
        wrapRuntime: (inner) => {
          runtime = new CountingRuntime(inner);
          return runtime;
        },
      });
      f = fixture;
      return fixture;
    };
    const provision = async (fixture: WebFixture, imageType = 'busybox'): Promise<Lease> =>
      (
        await call(fixture.web.url, 'POST', '/api/provision', {
          token: API_TOKEN,
          body: { imageType, durationMinutes: 5 },
        })
      ).body as Lease;
    const tokenOf = (lease: Lease) => new URL(lease.logsUrl).searchParams.get('token') ?? '';
    const connect = async (
      fixture: WebFixture,
      path: string,
      options: Parameters<typeof openLogs>[2] = {},
    ) => {
      const upgrade = await openLogs(fixture.web.url, path, options);
      if (!upgrade.ok) throw new Error(`upgrade refused with ${upgrade.status}`);
      clients.push(upgrade.client);
      return upgrade.client;
    };
    const numbers = (client: LogClient) =>
      client.texts().map((text) => Number(/^line (\d+)/.exec(text)?.[1]));

    it('GIVEN two viewers of one lease THEN both get the same numbered lines in order, from one Docker stream', async () => {
      const fixture = await start();
      const lease = await provision(fixture);
      const a = await connect(fixture, `/logs/${lease.id}?token=${tokenOf(lease)}`);
      const b = await connect(fixture, `/logs/${lease.id}?token=${tokenOf(lease)}`);
      await eventually(
        () => a.lines.length >= 4 && b.lines.length >= 4,
        60_000,
        'four lines at both viewers',
      );
      const seen = Math.min(a.lines.length, b.lines.length);
      expect(a.lines.slice(0, seen)).toEqual(b.lines.slice(0, seen));
      expect(numbers(a).slice(0, 4)).toEqual([1, 2, 3, 4]);
      expect(runtime.opened).toBe(1);
      expect(fixture.web.logStreams).toMatchObject({ streamCount: 1, viewerCount: 2 });
      expect(a.lines[0]?.ts).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z$/);
    });

    it('GIVEN a viewer joins late THEN its first message is the backlog from line 1, and the stream stops after the last viewer leaves', async () => {
      const fixture = await start();
      const lease = await provision(fixture);
      const early = await connect(fixture, `/logs/${lease.id}?token=${tokenOf(lease)}`);
      await eventually(() => early.lines.length >= 3, 60_000, 'three lines');
      const late = await connect(fixture, `/logs/${lease.id}?token=${tokenOf(lease)}`);
      await eventually(() => late.lines.length >= 3, 60_000, 'the backlog');
      expect(numbers(late).slice(0, 3)).toEqual([1, 2, 3]);
      expect(runtime.opened).toBe(1);
      early.close();
      late.close();
      await eventually(
        () => runtime.open === 0 && fixture.web.logStreams.streamCount === 0,
        60_000,
        'the Docker stream to be aborted',
      );
    });

    it('GIVEN a viewer reconnects with since/skip THEN it gets exactly the lines after its last one', async () => {
      const fixture = await start();
      const lease = await provision(fixture);
      const first = await connect(fixture, `/logs/${lease.id}?token=${tokenOf(lease)}`);
      await eventually(() => first.lines.length >= 3, 60_000, 'three lines');
      first.close();
      await first.closed;
      const last = first.lines.at(-1);
      const lastNumber = numbers(first).at(-1) ?? 0;
      await eventually(() => runtime.open === 0, 60_000, 'the stream to stop');
      const resumed = await connect(
        fixture,
        `/logs/${lease.id}?token=${tokenOf(lease)}&since=${encodeURIComponent(last?.ts ?? '')}&skip=1`,
      );
      await eventually(() => resumed.lines.length >= 2, 60_000, 'two more lines');
      expect(numbers(resumed).slice(0, 2)).toEqual([lastNumber + 1, lastNumber + 2]);
      expect(runtime.opened).toBe(2);
    });

    it('GIVEN a forged, expired, other-owner or wrong-Origin credential THEN the upgrade is refused with its HTTP status', async () => {
      const fixture = await start();
      const lease = await provision(fixture);
      const token = tokenOf(lease);
      const sign = (owner: string, exp: number, leaseId = lease.id) =>
        fixture.tokens.sign({ leaseId, owner, scope: 'logs', exp });
      const bobSession = `cl_session=${fixture.tokens.sign({ leaseId: '*', owner: 'local:bob', scope: 'session', exp: Date.now() + 60_000 })}`;
      const path = `/logs/${lease.id}`;
      const origin = new URL(fixture.web.url).origin;
      const attempts: Array<[string, string, Parameters<typeof openLogs>[2], number]> = [
        ['forged', `${path}?token=${token.slice(0, -3)}xyz`, { origin }, 401],
        ['expired', `${path}?token=${sign('api:ci', Date.now() - 1000)}`, { origin }, 401],
        [
          'another lease’s token',
          `${path}?token=${sign('api:ci', Date.now() + 60_000, '0000000000')}`,
          { origin },
          403,
        ],
        ['another owner’s token', `${path}?token=${sign('local:bob', Date.now() + 60_000)}`, { origin }, 403],
        ['another owner’s session', path, { origin, cookie: bobSession }, 403],
        ['a foreign Origin', `${path}?token=${token}`, { origin: 'https://evil.example' }, 403],
        ['no credentials', path, { origin }, 401],
        ['an unknown path', `/ws?token=${token}`, { origin }, 404],
      ];
      for (const [name, url, options, status] of attempts) {
        const upgrade = await openLogs(fixture.web.url, url, options);
        expect({ name, status: upgrade.ok ? 101 : upgrade.status }).toEqual({ name, status });
      }
      expect(runtime.opened).toBe(0);
      const good = await connect(fixture, `${path}?token=${token}`, { origin });
      await eventually(() => good.lines.length >= 1, 60_000, 'a line');
    });

    it('GIVEN the cookies from a link and the page’s Origin, or an API token, THEN the upgrade is accepted without a token in the URL', async () => {
      const fixture = await start();
      const lease = await provision(fixture);
      const opened = await call(fixture.web.url, 'GET', `/logs/${lease.id}?token=${tokenOf(lease)}`);
      const viewer = await connect(fixture, `/logs/${lease.id}`, {
        cookie: cookiesOf(opened),
        origin: new URL(fixture.web.url).origin,
      });
      await eventually(() => viewer.lines.length >= 1, 60_000, 'a line');
      const script = await connect(fixture, `/logs/${lease.id}`, { token: API_TOKEN });
      await eventually(() => script.lines.length >= 1, 60_000, 'a line for a script with an API token');
      expect(runtime.opened).toBe(1);
    });

    it('GIVEN a viewer WHEN the lease is stopped THEN the socket closes with 4000 "lease ended" and the final logs are readable by the link', async () => {
      const fixture = await start();
      const lease = await provision(fixture);
      const viewer = await connect(fixture, `/logs/${lease.id}?token=${tokenOf(lease)}`);
      await eventually(() => viewer.lines.length >= 2, 60_000, 'two lines');
      expect(
        (await call(fixture.web.url, 'DELETE', `/api/containers/${lease.id}`, { token: API_TOKEN })).status,
      ).toBe(204);
      expect(await viewer.closed).toEqual({ code: CLOSE_CODES.leaseEnded, reason: 'lease ended' });
      await eventually(() => runtime.open === 0, 60_000, 'the stream to stop');

      const again = await connect(fixture, `/logs/${lease.id}?token=${tokenOf(lease)}`);
      expect((await again.closed).code).toBe(CLOSE_CODES.leaseEnded);
      const bob = `cl_session=${fixture.tokens.sign({ leaseId: '*', owner: 'local:bob', scope: 'session', exp: Date.now() + 60_000 })}`;
      expect(await openLogs(fixture.web.url, `/logs/${lease.id}`, { cookie: bob })).toMatchObject({
        ok: false,
        status: 404,
      });

      const ended = { id: lease.id, owner: 'api:ci', imageType: 'busybox', hardCapAt: Date.now() + 60_000 };
      await fixture.finalLogs.save(ended, viewer.lines);
      const final = await call(fixture.web.url, 'GET', `/logs/${lease.id}/final?token=${tokenOf(lease)}`);
      expect(final.status).toBe(200);
      expect((final.body as { lines: unknown[] }).lines).toEqual(viewer.lines);
      const forbidden = await call(fixture.web.url, 'GET', `/logs/${lease.id}/final`, { cookie: bob });
      expect(forbidden.status).toBe(403);
    });

    it('GIVEN the server closes THEN viewers get 1001 and the Docker stream is aborted', async () => {
      const fixture = await start();
      const lease = await provision(fixture);
      const viewer = await connect(fixture, `/logs/${lease.id}?token=${tokenOf(lease)}`);
      await eventually(() => viewer.lines.length >= 1, 60_000, 'a line');
      await fixture.web.close();
      expect((await viewer.closed).code).toBe(CLOSE_CODES.goingAway);
      await eventually(() => runtime.open === 0, 60_000, 'the stream to stop');
    });
  },
);
