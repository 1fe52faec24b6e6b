import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeWith } from '../../support/services.js';
import { call, cookiesOf, errorOf } from '../../support/web-client.js';
import { API_TOKEN, startWebFixture, type WebFixture } from '../../support/web-fixture.js';

describeWith({ redis: true, docker: true })('Signed links, session cookies and API authentication', () => {
  let f: WebFixture;
  beforeEach(async () => {
    f = await startWebFixture();
  });
  afterEach(() => f.close());

  const provision = async () => {
    const reply = await call(f.web.url, 'POST', '/api/provision', {
      token: API_TOKEN,
      body: { imageType: 'busybox', durationMinutes: 5 },
    });
    return reply.body as { id: string; logsUrl: string };
  };
  const session = (owner: string, exp = Date.now() + 600_000) =>
    `cl_session=${f.tokens.sign({ leaseId: '*', owner, scope: 'session', exp })}`;

  it('GIVEN a logs link WHEN opened THEN 303 to the same page without the token, with the lease’s HttpOnly SameSite=Lax cookie and no session', async () => {
    const lease = await provision();
    const path = new URL(lease.logsUrl).pathname + new URL(lease.logsUrl).search;
    const reply = await call(f.web.url, 'GET', path);
    expect(reply.status).toBe(303);
    expect(reply.headers.get('location')).toBe(`/logs/${lease.id}`);
    expect(reply.headers.get('referrer-policy')).toBe('no-referrer');
    const cookies = reply.headers.getSetCookie();
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatch(new RegExp(`^cl_lease=.*; Path=/logs/${lease.id}; .*HttpOnly; SameSite=Lax`));
    expect(cookies[0]).not.toMatch(/Secure/);
    expect(cookies[0]).toMatch(/Max-Age=\d+/);

    // The lease's logs and final logs, and nothing else: no dashboard, no API.
    for (const [method, apiPath] of [
      ['GET', '/api/me'],
      ['GET', '/api/containers'],
      ['GET', `/api/containers/${lease.id}`],
      ['DELETE', `/api/containers/${lease.id}`],
    ] as const) {
      const refused = await call(f.web.url, method, apiPath, {
        cookie: cookiesOf(reply),
        headers: { 'x-requested-by': 'containerlease' },
      });
      expect({ apiPath, status: refused.status }).toEqual({ apiPath, status: 401 });
    }
    const asSession = cookiesOf(reply).replace('cl_lease=', 'cl_session=');
    // A lease link is no session: refused as forbidden (a credential for something else), not as missing.
    const wrongScope = await call(f.web.url, 'GET', '/api/me', { cookie: asSession });
    expect([wrongScope.status, errorOf(wrongScope).code]).toEqual([403, 'forbidden']);
    expect((await f.store.get(lease.id))?.status).toBe('active');
  });

  it('GIVEN a logs link WHEN opened as a dashboard link THEN 403 and no cookie', async () => {
    const lease = await provision();
    const token = new URL(lease.logsUrl).searchParams.get('token') ?? '';
    const reply = await call(f.web.url, 'GET', `/?token=${token}`);
    expect(reply.status).toBe(403);
    expect(reply.headers.getSetCookie()).toEqual([]);
  });

  it('GIVEN the session or links of an api: owner WHEN its token is no longer in API_TOKENS THEN refused everywhere, and its peers still work', async () => {
    const lease = await provision();
    const exp = Date.now() + 600_000;
    const gone = session('api:retired', exp);
    const goneLogs = f.tokens.sign({ leaseId: lease.id, owner: 'api:retired', scope: 'logs', exp });
    const refusals = [
      await call(f.web.url, 'GET', '/api/me', { cookie: gone }),
      await call(f.web.url, 'GET', `/?token=${gone.slice('cl_session='.length)}`),
      await call(f.web.url, 'GET', `/logs/${lease.id}?token=${goneLogs}`),
      await call(f.web.url, 'GET', `/logs/${lease.id}/final?token=${goneLogs}`),
    ];
    expect(refusals.map((reply) => reply.status)).toEqual([401, 401, 401, 401]);
    expect(refusals.flatMap((reply) => reply.headers.getSetCookie())).toEqual([]);
    expect(errorOf(refusals[0] as Awaited<ReturnType<typeof call>>).message).toMatch(/api:retired.*removed/);
    expect((await call(f.web.url, 'GET', '/api/me', { cookie: session('api:ci') })).body).toMatchObject({
      owner: 'api:ci',
      via: 'session',
    });
  });

  it('GIVEN a dashboard link WHEN opened THEN 303 to / with a session cookie for its owner', async () => {
    const reply = await call(f.web.url, 'GET', `/${new URL(f.links.dashboardUrl('local:carol')).search}`);
    expect([reply.status, reply.headers.get('location')]).toEqual([303, '/']);
    const me = await call(f.web.url, 'GET', '/api/me', { cookie: cookiesOf(reply) });
    expect(me.body).toMatchObject({ owner: 'local:carol' });
  });

  it('GIVEN a forged, an expired or another lease’s link THEN 401, 401, 403 and no cookie', async () => {
    const lease = await provision();
    const token = new URL(lease.logsUrl).searchParams.get('token') ?? '';
    const forged = `${token.slice(0, -4)}AAAA`;
    const expired = f.tokens.sign({ leaseId: lease.id, owner: 'api:ci', scope: 'logs', exp: Date.now() - 1 });
    const other = f.tokens.sign({
      leaseId: '0000000000',
      owner: 'api:ci',
      scope: 'logs',
      exp: Date.now() + 60_000,
    });
    for (const [bad, status] of [
      [forged, 401],
      [expired, 401],
      [other, 403],
    ] as const) {
      const reply = await call(f.web.url, 'GET', `/logs/${lease.id}?token=${bad}`);
      expect(reply.status).toBe(status);
      expect(reply.headers.get('content-type')).toMatch(/text\/html/);
      expect(reply.headers.getSetCookie()).toEqual([]);
    }
  });

  it('GIVEN PUBLIC_URL on https THEN the cookies are Secure', async () => {
    const secure = await startWebFixture({ publicUrl: 'https://lease.example.com' });
    try {
      const reply = await call(
        secure.web.url,
        'GET',
        `/?token=${new URL(secure.links.dashboardUrl('local:dan')).searchParams.get('token')}`,
      );
      expect(reply.headers.getSetCookie()[0]).toMatch(/; Secure/);
      expect(reply.headers.get('strict-transport-security')).toMatch(/max-age=/);
    } finally {
      await secure.close();
    }
  });

  it('GIVEN no credentials, an unknown token, a malformed header or an expired session THEN 401 unauthorized', async () => {
    for (const options of [
      {},
      { token: 'not-a-configured-token-at-all' },
      { headers: { authorization: 'Basic dXNlcjpwYXNz' } },
      { cookie: session('local:erin', Date.now() - 1) },
      { cookie: 'cl_session=v1.garbage.garbage' },
    ]) {
      const reply = await call(f.web.url, 'GET', '/api/containers', options);
      expect(reply.status).toBe(401);
      expect(errorOf(reply).code).toBe('unauthorized');
    }
  });

  it('GIVEN a cookie session WHEN writing without X-Requested-By THEN 403; from another Origin THEN 403; with it THEN it works', async () => {
    const cookie = session('local:frank');
    const body = { imageType: 'busybox', durationMinutes: 5 };
    const bare = await call(f.web.url, 'POST', '/api/provision', { cookie, body });
    expect([bare.status, errorOf(bare).code, errorOf(bare).message]).toEqual([
      403,
      'forbidden',
      expect.stringMatching(/X-Requested-By/),
    ]);
    const foreign = await call(f.web.url, 'POST', '/api/provision', {
      cookie,
      body,
      headers: { 'x-requested-by': 'containerlease', origin: 'https://evil.example' },
    });
    expect([foreign.status, errorOf(foreign).code, errorOf(foreign).message]).toEqual([
      403,
      'forbidden',
      expect.stringMatching(/Cross-site/),
    ]);
    const good = await call(f.web.url, 'POST', '/api/provision', {
      cookie,
      body,
      headers: { 'x-requested-by': 'containerlease', origin: new URL(f.web.url).origin },
    });
    expect(good.status).toBe(201);
  });

  it('GIVEN a cookie session THEN reads (GET, HEAD, OPTIONS) need no header, nor a write without Origin; a long foreign Origin is quoted cut at 100', async () => {
    const cookie = session('local:grace');
    const reads = [];
    for (const method of ['GET', 'HEAD', 'OPTIONS']) {
      reads.push([method, (await call(f.web.url, method, '/api/containers', { cookie })).status]);
    }
    // OPTIONS passes the guard to find no route: 404, not the guard's 403.
    expect(reads).toEqual([
      ['GET', 200],
      ['HEAD', 200],
      ['OPTIONS', 404],
    ]);
    const noOrigin = await call(f.web.url, 'DELETE', '/api/containers/abcdefghjk', {
      cookie,
      headers: { 'x-requested-by': 'containerlease' },
    });
    expect(noOrigin.status).toBe(404);
    const origin = `https://${'a'.repeat(300)}.example`;
    const foreign = await call(f.web.url, 'DELETE', '/api/containers/abcdefghjk', {
      cookie,
      headers: { 'x-requested-by': 'containerlease', origin },
    });
    expect(foreign.status).toBe(403);
    expect(errorOf(foreign).message).toBe(
      `Cross-site request refused: Origin ${origin.slice(0, 100)} is not ${new URL(f.web.url).origin}.`,
    );
  });
});
