import { afterAll, beforeAll, expect, it } from 'vitest';
import { auditOverApi } from '../../support/audit-trail.js';
import { psIn } from '../../support/container-ps.js';
import { eventually } from '../../support/eventually.js';
import { describeWith } from '../../support/services.js';
import { call, errorOf } from '../../support/web-client.js';
import {
  API_TOKEN,
  type ApiLease,
  OPS_TOKEN,
  provisionOverApi,
  startWebFixture,
  type WebFixture,
} from '../../support/web-fixture.js';

describeWith({ redis: true, docker: true })(
  'POST /api/containers/<id>/exec, against a real container',
  () => {
    let f: WebFixture;
    let lease: ApiLease;
    beforeAll(async () => {
      f = await startWebFixture();
      lease = await provisionOverApi(f, 'busybox');
    });
    afterAll(() => f?.close());

    const exec = (body: unknown, token = API_TOKEN, leaseId = lease.id) =>
      call(f.web.url, 'POST', `/api/containers/${leaseId}/exec`, { token, body });

    it('GIVEN a command THEN its exit code, its stdout and stderr together and its duration', async () => {
      const reply = await exec({ command: 'echo out; echo err >&2; printf "ünï 日本 🚀"; exit 4' });
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({
        exitCode: 4,
        output: 'out\nerr\nünï 日本 🚀',
        truncated: false,
        durationMs: expect.any(Number),
        timedOut: false,
      });
      expect(reply.headers.get('cache-control')).toBe('no-store');
    });

    it('GIVEN a command that prints nothing THEN an empty output and exit code 0', async () => {
      expect((await exec({ command: 'true' })).body).toMatchObject({
        exitCode: 0,
        output: '',
        truncated: false,
      });
    });

    it('GIVEN more than 1 MiB of output THEN the first 1 MiB, marked truncated, and the command ran to its end', async () => {
      const reply = await exec({
        command: "head -c 3000000 /dev/zero | tr '\\0' a; echo; echo done >/tmp/ran-to-end",
      });
      const body = reply.body as { output: string; truncated: boolean; exitCode: number };
      expect([body.output.length, body.truncated, body.exitCode]).toEqual([1024 * 1024, true, 0]);
      expect(body.output).toMatch(/^a+$/);
      expect((await exec({ command: 'cat /tmp/ran-to-end' })).body).toMatchObject({ output: 'done\n' });
    });

    it('GIVEN a command that outlives its timeout THEN it is killed with everything it started, and says so', async () => {
      const reply = await exec({ command: 'echo begun; sleep 1771 & sleep 1772', timeoutSeconds: 1 });
      expect(reply.body).toMatchObject({ exitCode: null, timedOut: true, output: 'begun\n' });
      expect((reply.body as { durationMs: number }).durationMs).toBeGreaterThanOrEqual(1000);
      expect(await psIn(lease.containerId)).not.toMatch(/sleep 177/);
    });

    it('GIVEN a caller that hangs up THEN its command is killed, not left to its timeout', async () => {
      const gone = new AbortController();
      const request = fetch(`${f.web.url}/api/containers/${lease.id}/exec`, {
        method: 'POST',
        headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ command: 'sleep 1881', timeoutSeconds: 120 }),
        signal: gone.signal,
      }).catch(() => undefined);
      await eventually(
        async () => (await psIn(lease.containerId)).includes('sleep 1881'),
        20_000,
        'the command to run',
      );
      gone.abort();
      await request;
      await eventually(
        async () => !(await psIn(lease.containerId)).includes('sleep 1881'),
        20_000,
        'the command to be killed',
      );
    });

    it('GIVEN a command running WHEN another is sent to the same lease THEN 409, one at a time', async () => {
      const first = exec({ command: 'sleep 2; echo first' });
      await eventually(
        async () => (await psIn(lease.containerId)).includes('sleep 2'),
        20_000,
        'the first command',
      );
      const second = await exec({ command: 'echo second' });
      expect([second.status, errorOf(second).code]).toEqual([409, 'conflict']);
      expect(errorOf(second).message).toMatch(/one runs at a time/);
      expect((await first).body).toMatchObject({ exitCode: 0, output: 'first\n' });
      expect((await exec({ command: 'echo third' })).body).toMatchObject({ output: 'third\n' });
    });

    it('GIVEN an interactive program THEN 400 pointing to the terminal, and nothing runs', async () => {
      for (const command of ['vim /etc/hosts', 'ps | less', 'top', 'sh']) {
        const reply = await exec({ command });
        expect([command, reply.status, errorOf(reply).message]).toEqual([
          command,
          400,
          expect.stringContaining('terminal'),
        ]);
      }
    });

    it('GIVEN bad bodies THEN 400 naming the field', async () => {
      for (const body of [
        {},
        { command: '' },
        { command: '   ' },
        { command: 42 },
        { command: 'x'.repeat(4097) },
        { command: 'echo', timeoutSeconds: 0 },
        { command: 'echo', timeoutSeconds: 301 },
        { command: 'echo', timeoutSeconds: 1.5 },
        { command: 'echo', timeoutSeconds: '30' },
        { command: 'echo', shell: 'bash' },
      ]) {
        const reply = await exec(body);
        expect([JSON.stringify(body).slice(0, 60), reply.status, errorOf(reply).code]).toEqual([
          JSON.stringify(body).slice(0, 60),
          400,
          'validation',
        ]);
      }
    });

    it('GIVEN commands run by the owner and an admin, one timed out and some refused THEN the audit trail has one exec entry per command run and none for the refused', async () => {
      const own = await provisionOverApi(f, 'busybox');
      const run = (body: unknown, token = API_TOKEN) => exec(body, token, own.id);
      expect((await run({ command: 'echo hi; exit 4' })).status).toBe(200);
      expect((await run({ command: 'sleep 1991', timeoutSeconds: 1 })).body).toMatchObject({
        timedOut: true,
      });
      expect((await run({ command: 'vim' })).status).toBe(400);
      expect((await run({ command: 'id' }, API_TOKEN.replace(/./, 'x'))).status).toBe(401);
      expect((await run({ command: 'echo admin' }, OPS_TOKEN)).status).toBe(200);

      // Recorded as each command ends, without delaying its answer: read until all three are in.
      const entries = await eventually(
        async () => {
          const found = (await auditOverApi(f.web.url, own.id, OPS_TOKEN)).filter(
            (entry) => entry.action === 'exec',
          );
          return found.length >= 3 && found;
        },
        20_000,
        'three exec entries',
      );
      expect(entries.map((entry) => `${entry.actor} ${entry.outcome}`)).toEqual([
        'api:ci exit 4',
        'api:ci timed out',
        'api:ops exit 0',
      ]);
      for (const entry of entries)
        expect(entry).toMatchObject({ owner: 'api:ci', team: 'api', image: 'busybox', leaseId: own.id });
      expect(entries[0]?.params).toEqual({
        command: 'echo hi; exit 4',
        exitCode: 4,
        timedOut: false,
        durationMs: expect.any(Number),
        outputBytes: 3,
      });
      expect(entries[1]?.params).toEqual({
        command: 'sleep 1991',
        timedOut: true,
        durationMs: expect.any(Number),
        outputBytes: 0,
      });
    });

    it('GIVEN someone else’s lease, an unknown one or an ended one THEN 403, 404 and 404; an admin may', async () => {
      const other = (
        await call(f.web.url, 'POST', '/api/provision', { token: OPS_TOKEN, body: { imageType: 'busybox' } })
      ).body as ApiLease;
      expect((await exec({ command: 'id' }, API_TOKEN, other.id)).status).toBe(403);
      expect((await exec({ command: 'id' }, API_TOKEN, 'zzzzzzzzzz')).status).toBe(404);
      expect((await exec({ command: 'echo admin' }, OPS_TOKEN)).body).toMatchObject({ output: 'admin\n' });
      await call(f.web.url, 'DELETE', `/api/containers/${other.id}`, { token: OPS_TOKEN });
      expect((await exec({ command: 'id' }, OPS_TOKEN, other.id)).status).toBe(404);
    });
  },
);
