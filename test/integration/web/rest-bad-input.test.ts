import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWith } from '../../support/services.js';
import { call, errorOf } from '../../support/web-client.js';
import { API_TOKEN, startWebFixture, type WebFixture } from '../../support/web-fixture.js';

describeWith({ redis: true, docker: true })('REST API refuses bad input with a 4xx that names it', () => {
  let f: WebFixture;
  beforeAll(async () => {
    f = await startWebFixture();
  });
  afterAll(() => f.close());

  const post = (path: string, options: Parameters<typeof call>[3]) =>
    call(f.web.url, 'POST', path, { token: API_TOKEN, ...options });

  it.each([
    [
      'broken JSON',
      { raw: '{"imageType": "busybox",', headers: { 'content-type': 'application/json' } },
      400,
      /not valid JSON/,
    ],
    ['a JSON array', { body: [1, 2] }, 400, /the body must be a JSON object \(got an array\)/],
    ['JSON null', { raw: 'null', headers: { 'content-type': 'application/json' } }, 400, /got null/],
    [
      'a JSON string',
      { raw: '"busybox"', headers: { 'content-type': 'application/json' } },
      400,
      /the body must be a JSON object \(got a string\)/,
    ],
    ['a missing imageType', { body: { durationMinutes: 5 } }, 400, /"imageType" is required \(a string\)/],
    [
      'a number for imageType',
      { body: { imageType: 7 } },
      400,
      /"imageType" must be a string \(got a number\)/,
    ],
    [
      'a string for durationMinutes',
      { body: { imageType: 'busybox', durationMinutes: '5' } },
      400,
      /"durationMinutes" must be a number \(got a string\)/,
    ],
    [
      'null for durationMinutes',
      { body: { imageType: 'busybox', durationMinutes: null } },
      400,
      /"durationMinutes" must be a number \(got null\)/,
    ],
    [
      'an extra field',
      { body: { imageType: 'busybox', privileged: true } },
      400,
      /unknown field "privileged"/,
    ],
    ['an empty imageType', { body: { imageType: '' } }, 400, /"imageType" must not be empty/],
    [
      'text/plain',
      { raw: 'imageType=busybox', headers: { 'content-type': 'text/plain' } },
      415,
      /Content-Type: application\/json \(got text\/plain\)/,
    ],
    [
      'a form',
      { raw: 'imageType=busybox', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      415,
      /application\/json/,
    ],
    ['no body at all', {}, 415, /application\/json/],
    ['a 20 KB body', { body: { imageType: 'x'.repeat(20_000) } }, 413, /too large; at most 16384 bytes/],
    [
      'latin1 charset',
      { raw: '{}', headers: { 'content-type': 'application/json; charset=latin1' } },
      415,
      /charset/,
    ],
  ])(
    'GIVEN %s WHEN POST /api/provision THEN %i naming the problem',
    async (_name, options, status, message) => {
      const reply = await post('/api/provision', options);
      expect(reply.status).toBe(status);
      expect(errorOf(reply).code).toBe('validation');
      expect(errorOf(reply).message).toMatch(message);
    },
  );

  it('GIVEN a string for minutes WHEN POST /extend THEN 400 naming the field', async () => {
    const reply = await post('/api/containers/0000000000/extend', { body: { minutes: 'ten' } });
    expect([reply.status, errorOf(reply).message]).toEqual([
      400,
      expect.stringMatching(/"minutes" must be a number/),
    ]);
  });

  it('GIVEN a malformed percent-escape in the path THEN 400, not 500', async () => {
    const reply = await call(f.web.url, 'GET', '/api/containers/%E0%A4%A', { token: API_TOKEN });
    expect(reply.status).toBe(400);
  });

  it('GIVEN any JSON value WHEN POST /api/provision or /extend THEN always a 4xx, never a 5xx', async () => {
    const catalog = new Set(['busybox', 'chatty', 'missing']);
    const body = fc.anything().filter((value) => {
      const type = (value as { imageType?: unknown } | null)?.imageType;
      return typeof type !== 'string' || !catalog.has(type.trim().toLowerCase());
    });
    await fc.assert(
      fc.asyncProperty(body, async (value) => {
        const raw = JSON.stringify(value) ?? 'undefined';
        const headers = { 'content-type': 'application/json' };
        for (const path of ['/api/provision', '/api/containers/0000000000/extend']) {
          const reply = await post(path, { raw, headers });
          expect(reply.status, `${path} ${raw}`).toBeGreaterThanOrEqual(400);
          expect(reply.status, `${path} ${raw}`).toBeLessThan(500);
          expect(typeof errorOf(reply).message).toBe('string');
        }
      }),
      { numRuns: 150 },
    );
  });
});
