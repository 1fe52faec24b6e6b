import { afterAll, beforeAll, expect, it } from 'vitest';
import { PORT_BODY_LIMIT_BYTES } from '../../../src/web/ports/ports-server.js';
import { nextMessage, openSocket, portCookieFrom, proxyGet } from '../../support/port-client.js';
import { describeWith } from '../../support/services.js';
import { call } from '../../support/web-client.js';
import { API_TOKEN, OPS_TOKEN, startWebFixture, type WebFixture } from '../../support/web-fixture.js';

interface Provisioned {
  readonly id: string;
  readonly portLink: { readonly port: number; readonly url: string; readonly expiresAt: string };
}

describeWith({ redis: true, docker: true })(
  'The port proxy over real Docker: busybox httpd and a WebSocket echo in a lease',
  () => {
    let f: WebFixture;
    let lease: Provisioned;
    let other: Provisioned;
    /** The cookie of `lease`'s port 8000, from following its link. */
    let cookie: string;
    const base = (id: string, port: number) => `${f.ports.url}/${id}/${port}`;

    const provision = async (token: string, port: number): Promise<Provisioned> => {
      const reply = await call(f.web.url, 'POST', '/api/provision', {
        token,
        body: { imageType: 'webapp', durationMinutes: 5, port },
      });
      expect(reply.status).toBe(201);
      return reply.body as Provisioned;
    };
    /** Follows a port link: the token becomes the cookie. */
    const follow = async (url: string) => proxyGet(url);
    const sign = (claims: {
      leaseId: string;
      owner: string;
      port: number;
      exp?: number;
      scope?: 'port' | 'logs';
    }) => `cl_port=${f.tokens.sign({ scope: 'port', exp: Date.now() + 600_000, ...claims })}`;
    /** The app answers once httpd is up; the container starts it right after provisioning. */
    const served = async (url: string, headers: Record<string, string>) => {
      for (let tries = 0; ; tries++) {
        const reply = await proxyGet(url, { headers });
        if (reply.status !== 502 || tries > 50) return reply;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };

    beforeAll(async () => {
      f = await startWebFixture();
      [lease, other] = await Promise.all([provision(API_TOKEN, 8000), provision(OPS_TOKEN, 8000)]);
      cookie = portCookieFrom(await follow(lease.portLink.url));
    }, 60_000);
    afterAll(() => f?.close());

    it('GIVEN provision with a port WHEN the link is followed THEN 303 to the app without the token, with an HttpOnly cookie on that lease and port alone', async () => {
      expect(lease.portLink.port).toBe(8000);
      expect(lease.portLink.url.startsWith(`${base(lease.id, 8000)}/?cl_token=v1.`)).toBe(true);
      const reply = await follow(lease.portLink.url);
      expect(reply.status).toBe(303);
      expect(reply.headers.location).toBe(`/${lease.id}/8000/`);
      const setCookie = [reply.headers['set-cookie'] ?? []].flat();
      expect(setCookie).toHaveLength(1);
      expect(setCookie[0]).toMatch(
        new RegExp(`^cl_port=v1\\.[^;]+; Path=/${lease.id}/8000/; Max-Age=\\d+; HttpOnly; SameSite=Lax$`),
      );
    });

    it('GIVEN the cookie WHEN the app is asked for / THEN busybox httpd’s page comes back', async () => {
      const reply = await served(`${base(lease.id, 8000)}/`, { cookie });
      expect(reply.status).toBe(200);
      expect(reply.body).toBe('hello from the lease\n');
    });

    it('GIVEN the cookie, a session, an Authorization and the app’s own cookie WHEN forwarded THEN the app sees only its cookie, and the X-Forwarded headers', async () => {
      const reply = await served(`${base(lease.id, 8000)}/cgi-bin/env?q=1`, {
        cookie: `${cookie}; cl_session=secret; app=1; CL_LEASE=x`,
        authorization: 'Bearer do-not-forward',
        'x-forwarded-host': 'evil.example',
      });
      expect(reply.status).toBe(200);
      const env = Object.fromEntries(
        reply.body.split('\n').map((line) => [line.split('=', 1)[0], line.slice(line.indexOf('=') + 1)]),
      );
      expect(env.HTTP_COOKIE).toBe('app=1');
      expect(env.HTTP_AUTHORIZATION).toBeUndefined();
      expect(env.QUERY_STRING).toBe('q=1');
      expect(env.REQUEST_URI).toBe('/cgi-bin/env?q=1');
      expect(env.HTTP_X_FORWARDED_HOST).toBe(new URL(f.ports.url).host);
      expect(env.HTTP_X_FORWARDED_PROTO).toBe('http');
      expect(env.HTTP_X_FORWARDED_PREFIX).toBe(`/${lease.id}/8000`);
      expect(env.HTTP_X_FORWARDED_FOR).toContain('127.0.0.1');
      // The app's cookie stays under its own path and host; one named like ours never reaches the browser.
      expect([reply.headers['set-cookie']].flat()).toEqual([`app=1; Path=/${lease.id}/8000/`]);
    });

    it('GIVEN redirects to a path and to the app’s own address WHEN proxied THEN each Location points at the app’s public root', async () => {
      const bare = await served(`${base(lease.id, 8000)}/sub`, { cookie });
      expect(bare.status).toBe(302);
      expect(bare.headers.location).toBe(`${base(lease.id, 8000)}/sub/`);
      const away = await served(`${base(lease.id, 8000)}/cgi-bin/away`, { cookie });
      expect(away.status).toBe(302);
      expect(away.headers.location).toBe(`${base(lease.id, 8000)}/sub/`);
    });

    it('GIVEN a port link to 9000 WHEN a WebSocket is opened with its cookie THEN lines are echoed; without it, or from another Origin, refused', async () => {
      const link = await call(f.web.url, 'POST', `/api/containers/${lease.id}/ports/9000/link`, {
        token: API_TOKEN,
      });
      expect(link.status).toBe(200);
      const { url, expiresAt } = link.body as { url: string; expiresAt: string };
      expect(Date.parse(expiresAt)).toBeGreaterThan(Date.now());
      const socketCookie = portCookieFrom(await follow(url));
      const wsUrl = `${base(lease.id, 9000).replace('http:', 'ws:')}/`;
      let opened = await openSocket(wsUrl, { cookie: socketCookie });
      for (let tries = 0; 'status' in opened && opened.status === 502 && tries < 50; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        opened = await openSocket(wsUrl, { cookie: socketCookie });
      }
      if (!('socket' in opened)) throw new Error(`refused: ${opened.status} ${opened.body}`);
      const echoed = nextMessage(opened.socket);
      opened.socket.send('hello through the proxy\n');
      expect((await echoed).trim()).toBe('hello through the proxy');
      opened.socket.close();

      expect(await openSocket(wsUrl, {})).toMatchObject({ status: 401 });
      expect(await openSocket(wsUrl, { cookie })).toMatchObject({ status: 403 });
      expect(await openSocket(wsUrl, { cookie: socketCookie, origin: 'https://evil.example' })).toMatchObject(
        { status: 403 },
      );
    });

    it('GIVEN someone else WHEN they ask for a port link of the lease THEN 403; a link signed for another owner is refused at the proxy', async () => {
      const asked = await call(f.web.url, 'POST', `/api/containers/${lease.id}/ports/8000/link`, {
        headers: {
          cookie: `cl_session=${f.tokens.sign({ leaseId: '*', owner: 'local:mallory', scope: 'session', exp: Date.now() + 60_000 })}`,
          'x-requested-by': 'containerlease',
        },
      });
      expect(asked.status).toBe(403);
      const reply = await proxyGet(`${base(lease.id, 8000)}/`, {
        headers: { cookie: sign({ leaseId: lease.id, owner: 'local:mallory', port: 8000 }) },
      });
      expect(reply.status).toBe(403);
      expect(reply.body).toContain('belongs to someone else');
      expect(reply.body).not.toContain('hello from the lease');
    });

    it('GIVEN a forged, a stale, a logs-scoped or no cookie THEN each is refused and the app never answers', async () => {
      const url = `${base(lease.id, 8000)}/`;
      const forged = `${cookie.slice(0, -4)}AAAA`;
      const stale = sign({ leaseId: lease.id, owner: 'api:ci', port: 8000, exp: Date.now() - 1_000 });
      const logs = `cl_port=${f.tokens.sign({ leaseId: lease.id, owner: 'api:ci', scope: 'logs', exp: Date.now() + 60_000 })}`;
      const cases: Array<[string, string | undefined, number]> = [
        ['forged', forged, 401],
        ['stale', stale, 401],
        ['logs scope', logs, 403],
        ['none', undefined, 401],
      ];
      for (const [name, value, status] of cases) {
        const reply = await proxyGet(url, { headers: value ? { cookie: value } : {} });
        expect({ name, status: reply.status, served: reply.body.includes('hello from the lease') }).toEqual({
          name,
          status,
          served: false,
        });
      }
      const forgedLink = await follow(`${url}?cl_token=${forged.slice('cl_port='.length)}`);
      expect(forgedLink.status).toBe(401);
      expect(forgedLink.headers['set-cookie']).toBeUndefined();
    });

    it('GIVEN this lease’s cookie WHEN used for another lease’s port, or another port of this lease THEN 403', async () => {
      const value = cookie.slice('cl_port='.length);
      const elsewhere = await proxyGet(`${base(other.id, 8000)}/`, {
        headers: { cookie: `cl_port=${value}` },
      });
      expect(elsewhere.status).toBe(403);
      expect(elsewhere.body).not.toContain('hello from the lease');
      const otherPort = await proxyGet(`${base(lease.id, 8001)}/`, {
        headers: { cookie: `cl_port=${value}` },
      });
      expect(otherPort.status).toBe(403);
    });

    it('GIVEN addresses that name no port THEN a clear 400 or 404, never the app', async () => {
      const cases: Array<[string, number, string]> = [
        [`/${lease.id}/0/`, 400, 'from 1 to 65535'],
        [`/${lease.id}/65536/`, 400, 'from 1 to 65535'],
        [`/${lease.id}/80a/`, 400, 'is not a port'],
        [`/${lease.id}/-1/`, 400, 'is not a port'],
        ['/not-a-lease/80/', 400, 'is not a lease id'],
        ['/', 404, '/lease open'],
        [`/${lease.id}`, 404, '/lease open'],
      ];
      for (const [path, status, says] of cases) {
        const reply = await proxyGet(`${f.ports.url}${path}`, { headers: { cookie } });
        expect({ path, status: reply.status, says: reply.body.includes(says) }).toEqual({
          path,
          status,
          says: true,
        });
      }
    });

    it('GIVEN a port nothing listens on WHEN opened THEN 502 saying so', async () => {
      const link = await call(f.web.url, 'POST', `/api/containers/${lease.id}/ports/8001/link`, {
        token: API_TOKEN,
      });
      const portCookie = portCookieFrom(await follow((link.body as { url: string }).url));
      const reply = await proxyGet(`${base(lease.id, 8001)}/`, { headers: { cookie: portCookie } });
      expect(reply.status).toBe(502);
      expect(reply.body).toContain('Nothing answered on port 8001');
    });

    it('GIVEN a body over the limit by its Content-Length THEN 413 naming the limit', async () => {
      const reply = await proxyGet(`${base(lease.id, 8000)}/`, {
        method: 'POST',
        headers: { cookie, 'content-length': String(PORT_BODY_LIMIT_BYTES + 1) },
      });
      expect(reply.status).toBe(413);
      expect(reply.body).toContain(`${PORT_BODY_LIMIT_BYTES / 1024 ** 2} MiB`);
    });

    it('GIVEN the lease ended WHEN its port is opened THEN a page says it ended, for pages and sockets alike', async () => {
      const link = await call(f.web.url, 'POST', `/api/containers/${other.id}/ports/8000/link`, {
        token: OPS_TOKEN,
      });
      const otherCookie = portCookieFrom(await follow((link.body as { url: string }).url));
      expect((await served(`${base(other.id, 8000)}/`, { cookie: otherCookie })).status).toBe(200);
      expect(
        (await call(f.web.url, 'DELETE', `/api/containers/${other.id}`, { token: OPS_TOKEN })).status,
      ).toBe(204);
      const reply = await proxyGet(`${base(other.id, 8000)}/`, { headers: { cookie: otherCookie } });
      expect(reply.status).toBe(410);
      expect(reply.body).toContain(`Lease ${other.id} has ended`);
      expect(
        await openSocket(`${base(other.id, 8000).replace('http:', 'ws:')}/`, { cookie: otherCookie }),
      ).toMatchObject({ status: 410 });
      const again = await call(f.web.url, 'POST', `/api/containers/${other.id}/ports/8000/link`, {
        token: OPS_TOKEN,
      });
      expect(again.status).toBe(404);
    });
  },
);

describeWith({ redis: true, docker: true })(
  'The port proxy under PORTS_DOMAIN: <id>-<port>.<domain> at /',
  () => {
    let f: WebFixture;
    beforeAll(async () => {
      f = await startWebFixture({ portsDomain: 'ports.test' });
    });
    afterAll(() => f?.close());

    it('GIVEN a port link WHEN followed on its host THEN the cookie is for that host at /, and the app is served at /', async () => {
      const reply = await call(f.web.url, 'POST', '/api/provision', {
        token: API_TOKEN,
        body: { imageType: 'webapp', durationMinutes: 5, port: 8000 },
      });
      const { id, portLink } = reply.body as Provisioned;
      const host = `${id}-8000.ports.test:${f.ports.port}`;
      expect(portLink.url.startsWith(`http://${host}/?cl_token=v1.`)).toBe(true);
      const direct = `http://127.0.0.1:${f.ports.port}`;
      const token = new URL(portLink.url).search;
      const followed = await proxyGet(`${direct}/${token}`, { headers: { host } });
      expect(followed.status).toBe(303);
      expect(followed.headers.location).toBe('/');
      expect([followed.headers['set-cookie']].flat()[0]).toMatch(/; Path=\/; /);
      const cookie = portCookieFrom(followed);
      let page = await proxyGet(`${direct}/sub`, { headers: { host, cookie } });
      for (let tries = 0; page.status === 502 && tries < 50; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        page = await proxyGet(`${direct}/sub`, { headers: { host, cookie } });
      }
      expect(page.status).toBe(302);
      expect(page.headers.location).toBe(`http://${host}/sub/`);
      const wrongHost = await proxyGet(`${direct}/`, { headers: { host: `${id}-8080.ports.test`, cookie } });
      expect(wrongHost.status).toBe(403);
      const garbage = await proxyGet(`${direct}/`, { headers: { host: `${id}-99999.ports.test`, cookie } });
      expect(garbage.status).toBe(400);
    }, 30_000);
  },
);
