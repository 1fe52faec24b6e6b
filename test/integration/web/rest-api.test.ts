import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeWith, TEST_IMAGE, testDocker } from '../../support/services.js';
import { call, errorOf, type Reply } from '../../support/web-client.js';
import { API_TOKEN, OPS_TOKEN, startWebFixture, type WebFixture } from '../../support/web-fixture.js';

interface LeaseBody {
  id: string;
  owner: string;
  containerId: string;
  imageType: string;
  image: string;
  status: string;
  containerState: string;
  createdAt: string;
  expiryTime: string;
  maxExpiryTime: string;
  logsUrl: string;
}

describeWith({ redis: true, docker: true })('REST API over real HTTP, Redis and Docker', () => {
  let f: WebFixture;
  const docker = testDocker();

  const api = (method: string, path: string, options: Parameters<typeof call>[3] = {}) =>
    call(f.web.url, method, path, { token: API_TOKEN, ...options });
  const provision = (body: unknown, token = API_TOKEN) => api('POST', '/api/provision', { body, token });
  const lease = (reply: Reply) => reply.body as LeaseBody;
  const sessionOf = (owner: string) =>
    `cl_session=${f.tokens.sign({ leaseId: '*', owner, scope: 'session', exp: Date.now() + 600_000 })}`;
  const cookieWrite = { 'x-requested-by': 'containerlease' };

  beforeEach(async () => {
    f = await startWebFixture({ policy: { maxTotalMinutes: 120 } });
  });
  afterEach(() => f.close());

  it('GIVEN a bearer token WHEN POST /api/provision THEN 201 with the lease, a Location and a running container', async () => {
    const reply = await provision({ imageType: 'busybox', durationMinutes: 30 });
    expect(reply.status).toBe(201);
    const body = lease(reply);
    expect(body).toMatchObject({
      owner: 'api:ci',
      team: 'api',
      imageType: 'busybox',
      image: TEST_IMAGE,
      status: 'active',
    });
    expect(body.id).toMatch(/^[0-9a-z]{10}$/);
    expect(reply.headers.get('location')).toBe(`/api/containers/${body.id}`);
    expect(Date.parse(body.expiryTime) - Date.parse(body.createdAt)).toBeGreaterThanOrEqual(30 * 60_000);
    expect(Date.parse(body.expiryTime) - Date.parse(body.createdAt)).toBeLessThan(31 * 60_000);
    expect(body.logsUrl).toMatch(new RegExp(`^${f.web.url}/logs/${body.id}\\?token=v1\\.`));
    expect((await docker.getContainer(body.containerId).inspect()).State.Running).toBe(true);
    expect((await f.store.get(body.id))?.notify).toEqual({ platform: 'api', user: 'ci' });
  });

  it('GIVEN no durationMinutes THEN the lease gets the default length', async () => {
    const body = lease(await provision({ imageType: 'busybox' }));
    expect(Date.parse(body.expiryTime) - Date.parse(body.createdAt)).toBeGreaterThanOrEqual(60 * 60_000);
  });

  it('GIVEN leases of two owners WHEN GET /api/containers THEN each sees only their own, an admin sees all with ?all=1', async () => {
    const mine = lease(await provision({ imageType: 'busybox', durationMinutes: 5 }));
    const bobs = lease(
      await api('POST', '/api/provision', {
        token: undefined,
        cookie: sessionOf('local:bob'),
        headers: cookieWrite,
        body: { imageType: 'busybox', durationMinutes: 5 },
      }),
    );
    const list = await api('GET', '/api/containers');
    expect(list.status).toBe(200);
    expect((list.body as { containers: LeaseBody[] }).containers.map((l) => l.id)).toEqual([mine.id]);
    expect((list.body as { containers: LeaseBody[] }).containers[0]?.containerState).toBe('running');
    const all = await api('GET', '/api/containers?all=1', { token: OPS_TOKEN });
    expect((all.body as { containers: LeaseBody[] }).containers.map((l) => l.id).sort()).toEqual(
      [mine.id, bobs.id].sort(),
    );
    expect((await f.store.get(bobs.id))?.notify).toEqual({ platform: 'local', user: 'bob' });
  });

  it('GIVEN a non-admin WHEN GET /api/containers?all=1 THEN 403', async () => {
    const reply = await api('GET', '/api/containers?all=1');
    expect(reply.status).toBe(403);
    expect(errorOf(reply).code).toBe('forbidden');
  });

  it('GIVEN a lease WHEN its owner GETs it THEN 200; another owner gets 403; an unknown id 404; a malformed id 400', async () => {
    const { id } = lease(await provision({ imageType: 'busybox', durationMinutes: 5 }));
    expect((await api('GET', `/api/containers/${id}`)).status).toBe(200);
    const other = await api('GET', `/api/containers/${id}`, {
      token: undefined,
      cookie: sessionOf('local:bob'),
    });
    expect(other.status).toBe(403);
    expect(errorOf(other)).toEqual({ code: 'forbidden', message: expect.stringContaining(id) });
    const unknown = await api('GET', '/api/containers/0000000000');
    expect([unknown.status, errorOf(unknown).code]).toEqual([404, 'not_found']);
    const malformed = await api('GET', '/api/containers/not-an-id!');
    expect([malformed.status, errorOf(malformed).code]).toEqual([400, 'validation']);
  });

  it('GIVEN a lease WHEN another owner DELETEs or extends it THEN 403 and the container still runs', async () => {
    const { id, containerId } = lease(await provision({ imageType: 'busybox', durationMinutes: 5 }));
    const bob = { token: undefined, cookie: sessionOf('local:bob'), headers: cookieWrite };
    expect((await api('DELETE', `/api/containers/${id}`, bob)).status).toBe(403);
    expect((await api('POST', `/api/containers/${id}/extend`, { ...bob, body: { minutes: 5 } })).status).toBe(
      403,
    );
    expect((await docker.getContainer(containerId).inspect()).State.Running).toBe(true);
  });

  it('GIVEN a lease WHEN DELETE /api/containers/:id THEN 204, the container is gone and the lease 404s', async () => {
    const { id, containerId } = lease(await provision({ imageType: 'busybox', durationMinutes: 5 }));
    const reply = await api('DELETE', `/api/containers/${id}`);
    expect(reply.status).toBe(204);
    expect(reply.body).toBe('');
    await expect(docker.getContainer(containerId).inspect()).rejects.toMatchObject({ statusCode: 404 });
    expect((await api('GET', `/api/containers/${id}`)).status).toBe(404);
    expect((await api('DELETE', `/api/containers/${id}`)).status).toBe(404);
  });

  it('GIVEN a lease WHEN POST /extend {minutes} THEN 200 and the expiry moved by that much', async () => {
    const before = lease(await provision({ imageType: 'busybox', durationMinutes: 5 }));
    const reply = await api('POST', `/api/containers/${before.id}/extend`, { body: { minutes: 10 } });
    expect(reply.status).toBe(200);
    expect(Date.parse(lease(reply).expiryTime) - Date.parse(before.expiryTime)).toBe(10 * 60_000);
  });

  it('GIVEN an extension past the hard cap THEN 409 limit_exceeded naming the room left', async () => {
    const { id } = lease(await provision({ imageType: 'busybox', durationMinutes: 100 }));
    const reply = await api('POST', `/api/containers/${id}/extend`, { body: { minutes: 60 } });
    expect(reply.status).toBe(409);
    expect(errorOf(reply)).toEqual({
      code: 'limit_exceeded',
      message: expect.stringMatching(/at most 19 more minutes/),
    });
  });

  it('GIVEN too many minutes or a fraction THEN 400 naming the limit', async () => {
    const tooMany = await provision({ imageType: 'busybox', durationMinutes: 100_000 });
    expect([tooMany.status, errorOf(tooMany).code]).toEqual([400, 'validation']);
    expect(errorOf(tooMany).message).toMatch(/At most 480 minutes/);
    const fraction = await provision({ imageType: 'busybox', durationMinutes: 1.5 });
    expect([fraction.status, errorOf(fraction).message]).toEqual([
      400,
      expect.stringMatching(/whole number/),
    ]);
    const zero = await provision({ imageType: 'busybox', durationMinutes: 0 });
    expect([zero.status, errorOf(zero).message]).toEqual([400, expect.stringMatching(/at least 1/)]);
  });

  it('GIVEN an unknown image THEN 400 listing the catalog; an image that cannot be pulled THEN 503', async () => {
    const unknown = await provision({ imageType: 'windows' });
    expect([unknown.status, errorOf(unknown).code]).toEqual([400, 'validation']);
    expect(errorOf(unknown).message).toMatch(/Unknown image "windows".*busybox/);
    const missing = await provision({ imageType: 'missing', durationMinutes: 5 });
    expect([missing.status, errorOf(missing).code]).toEqual([503, 'image_unavailable']);
  });

  it('GIVEN GET /api/images THEN the catalog with each maximum', async () => {
    const reply = await api('GET', '/api/images');
    expect(reply.status).toBe(200);
    expect((reply.body as { images: unknown[] }).images).toContainEqual({
      name: 'missing',
      image: 'local/does-not-exist:1',
      description: 'never pulls',
      maxMinutes: 30,
    });
  });

  it('GIVEN GET /api/me THEN the owner the credentials stand for', async () => {
    expect((await api('GET', '/api/me')).body).toEqual({ owner: 'api:ci', isAdmin: false, via: 'bearer' });
    expect((await api('GET', '/api/me', { token: OPS_TOKEN })).body).toMatchObject({
      owner: 'api:ops',
      isAdmin: true,
    });
  });

  it('GIVEN an unknown API path THEN a JSON 404', async () => {
    const reply = await api('GET', '/api/nothing');
    expect([reply.status, errorOf(reply).code]).toEqual([404, 'not_found']);
  });
});

describeWith({ redis: true, docker: true })('REST API quota', () => {
  let f: WebFixture;
  beforeEach(async () => {
    f = await startWebFixture({ policy: { maxPerUser: 1 } });
  });
  afterEach(() => f.close());

  it('GIVEN an owner at the per-user limit WHEN provisioning again THEN 429 quota_exceeded', async () => {
    const body = { imageType: 'busybox', durationMinutes: 5 };
    const first = await call(f.web.url, 'POST', '/api/provision', { token: API_TOKEN, body });
    expect(first.status).toBe(201);
    const second = await call(f.web.url, 'POST', '/api/provision', { token: API_TOKEN, body });
    expect([second.status, errorOf(second).code]).toEqual([429, 'quota_exceeded']);
    expect(errorOf(second).message.length).toBeGreaterThan(10);
  });
});
