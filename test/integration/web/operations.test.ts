import { afterEach, expect, it } from 'vitest';
import { describeWith } from '../../support/services.js';
import { call } from '../../support/web-client.js';
import { API_TOKEN, startWebFixture, type WebFixture } from '../../support/web-fixture.js';

describeWith({ redis: true, docker: true })('Health, readiness and Prometheus metrics', () => {
  let f: WebFixture | undefined;
  afterEach(() => f?.close());

  it('GIVEN a running server THEN /healthz is 200 and /readyz is 200 with Redis and Docker checked', async () => {
    f = await startWebFixture();
    expect((await call(f.web.url, 'GET', '/healthz')).body).toEqual({ status: 'ok' });
    const ready = await call(f.web.url, 'GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({
      status: 'ready',
      checks: { redis: { ok: true }, docker: { ok: true } },
    });
  });

  it('GIVEN Docker does not answer THEN /readyz is 503 naming it', async () => {
    f = await startWebFixture({
      readiness: {
        redis: async () => ({ maxmemoryPolicy: 'noeviction' }),
        docker: () => Promise.reject(new Error('connect ENOENT /var/run/docker.sock')),
      },
    });
    const ready = await call(f.web.url, 'GET', '/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({
      status: 'not_ready',
      checks: { redis: { ok: true }, docker: { ok: false, error: expect.stringMatching(/ENOENT/) } },
    });
  });

  it('GIVEN Redis hangs THEN /readyz answers 503 within its own timeout instead of hanging', async () => {
    f = await startWebFixture({
      readiness: { redis: () => new Promise(() => {}), docker: async () => {} },
    });
    const ready = await call(f.web.url, 'GET', '/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({
      checks: { redis: { ok: false, error: expect.stringMatching(/did not answer/) } },
    });
  });

  it('GIVEN Redis evicts keys (allkeys-lru) THEN /readyz stays 200 and warns that leases may leak', async () => {
    f = await startWebFixture({
      readiness: { redis: async () => ({ maxmemoryPolicy: 'allkeys-lru' }), docker: async () => {} },
    });
    const ready = await call(f.web.url, 'GET', '/readyz');
    expect(ready.status).toBe(200);
    expect((ready.body as { warnings: string[] }).warnings).toEqual([
      expect.stringMatching(/allkeys-lru, not noeviction/),
    ]);
  });

  it('GIVEN a warm pool that cannot fill THEN /readyz stays 200, its pool check failing and a warning naming it', async () => {
    const problem =
      'The warm pool of busybox cannot fill: no space left (3 failed attempts in a row; retrying).';
    f = await startWebFixture({
      readiness: {
        redis: async () => ({ maxmemoryPolicy: 'noeviction' }),
        docker: async () => {},
        pool: () => [problem],
      },
    });
    const ready = await call(f.web.url, 'GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({
      status: 'ready',
      checks: { pool: { ok: false, error: problem } },
      warnings: [problem],
    });
  });

  it('GIVEN pool claims, a refill failure and idle members THEN /metrics counts hits, misses, failures and the size', async () => {
    f = await startWebFixture();
    f.metrics.poolClaimed('busybox', true);
    f.metrics.poolClaimed('busybox', true);
    f.metrics.poolClaimed('busybox', false);
    f.metrics.poolRefillFailed('busybox');
    f.metrics.watch({
      poolIdle: async () =>
        new Map([
          ['busybox', 2],
          ['ubuntu', 0],
        ]),
    });
    const text = String((await call(f.web.url, 'GET', '/metrics')).body);
    expect(text).toMatch(/^containerlease_pool_claims_total\{image="busybox",result="hit"\} 2$/m);
    expect(text).toMatch(/^containerlease_pool_claims_total\{image="busybox",result="miss"\} 1$/m);
    expect(text).toMatch(/^containerlease_pool_refill_failures_total\{image="busybox"\} 1$/m);
    expect(text).toMatch(/^containerlease_pool_idle\{image="busybox"\} 2$/m);
    expect(text).toMatch(/^containerlease_pool_idle\{image="ubuntu"\} 0$/m);
  });

  it('GIVEN one provision and a cleanup report THEN /metrics shows the histograms, failures and gauges', async () => {
    f = await startWebFixture();
    await call(f.web.url, 'POST', '/api/provision', {
      token: API_TOKEN,
      body: { imageType: 'busybox', durationMinutes: 5 },
    });
    await call(f.web.url, 'POST', '/api/provision', {
      token: API_TOKEN,
      body: { imageType: 'missing', durationMinutes: 5 },
    });
    f.metrics.cleaned(0.2, 'removed');
    f.metrics.cleaned(1.5, 'failed');
    const reply = await call(f.web.url, 'GET', '/metrics');
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = String(reply.body);
    expect(text).toMatch(/^containerlease_provision_duration_seconds_count\{outcome="ok"\} 1$/m);
    expect(text).toMatch(
      /^containerlease_provision_duration_seconds_count\{outcome="image_unavailable"\} 1$/m,
    );
    expect(text).toMatch(/^containerlease_cleanup_duration_seconds_count\{outcome="removed"\} 1$/m);
    expect(text).toMatch(/^containerlease_cleanup_failures_total 1$/m);
    expect(text).toMatch(/^containerlease_active_leases 1$/m);
    expect(text).toMatch(/^containerlease_notifications_pending 0$/m);
    expect(text).toMatch(/^containerlease_log_viewers 0$/m);
  });

  it('GIVEN a route mounted by `mount` THEN it reads the raw body, because no parser ran before it', async () => {
    f = await startWebFixture({
      mount: (app) =>
        app.post('/raw', async (req, res) => {
          let bytes = 0;
          for await (const chunk of req) bytes += (chunk as Buffer).length;
          res.json({ bytes, parsed: req.body !== undefined });
        }),
    });
    const reply = await call(f.web.url, 'POST', '/raw', { body: { hello: 'slack' } });
    expect(reply.body).toEqual({ bytes: 17, parsed: false });
  });

  it('GIVEN a request that never finishes WHEN the server closes THEN close() still resolves and cuts it', async () => {
    let entered: () => void = () => {};
    const inside = new Promise<void>((resolve) => {
      entered = resolve;
    });
    f = await startWebFixture({
      mount: (app) =>
        app.get('/hang', () => {
          entered();
        }),
    });
    const hanging = call(f.web.url, 'GET', '/hang').then(
      () => 'answered',
      () => 'cut',
    );
    await inside;
    await f.web.close();
    expect(await hanging).toBe('cut');
  });
});
