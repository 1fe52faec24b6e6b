import { afterEach, beforeEach, expect, it } from 'vitest';
import { STOP_REASON_MAX } from '../../../src/core/services/admin-service.js';
import { LeaseSecondsTally } from '../../../src/core/services/lease-seconds-tally.js';
import { describeWith, queuedNotices } from '../../support/services.js';
import { call, errorOf } from '../../support/web-client.js';
import { API_TOKEN, OPS_TOKEN, startWebFixture, type WebFixture } from '../../support/web-fixture.js';

interface EntryBody {
  id: string;
  at: number;
  time: string;
  actor: string;
  action: string;
  leaseId: string;
  owner: string;
  team: string;
  params: Record<string, unknown>;
  outcome: string;
}

describeWith({ redis: true, docker: true })(
  'The admins API: audit trail and usage over real HTTP, Redis and Docker',
  () => {
    let f: WebFixture;
    const api = (path: string, token = OPS_TOKEN, headers: Record<string, string> = {}) =>
      call(f.web.url, 'GET', path, { token, headers });
    const entries = (body: unknown) => (body as { entries: EntryBody[] }).entries;

    /** One lease of `api:ci` provisioned, extended and stopped through the API. */
    const leaseLifetime = async () => {
      const created = await call(f.web.url, 'POST', '/api/provision', {
        token: API_TOKEN,
        body: { imageType: 'busybox', durationMinutes: 5 },
      });
      const id = (created.body as { id: string }).id;
      await call(f.web.url, 'POST', `/api/containers/${id}/extend`, {
        token: API_TOKEN,
        body: { minutes: 5 },
      });
      expect((await call(f.web.url, 'DELETE', `/api/containers/${id}`, { token: API_TOKEN })).status).toBe(
        204,
      );
      return id;
    };

    beforeEach(async () => {
      f = await startWebFixture();
    });
    afterEach(() => f.close());

    it('GIVEN a lease provisioned, extended and stopped THEN GET /api/audit?lease= returns its four entries as JSON, for admins only', async () => {
      const id = await leaseLifetime();
      const reply = await api(`/api/audit?lease=${id}`);
      expect(reply.status).toBe(200);
      const list = entries(reply.body);
      expect(list.map((entry) => `${entry.action} ${entry.actor} ${entry.outcome}`)).toEqual([
        'provision api:ci provisioning',
        'provision api:ci active',
        'extend api:ci extended',
        'stop api:ci removed',
      ]);
      for (const entry of list) expect(entry).toMatchObject({ leaseId: id, owner: 'api:ci', team: 'api' });
      expect(new Date(list[0]?.time ?? '').getTime()).toBe(list[0]?.at);

      const refused = await api(`/api/audit?lease=${id}`, API_TOKEN);
      expect(refused.status).toBe(403);
      expect(errorOf(refused)).toEqual({
        code: 'forbidden',
        message: 'Only admins (ADMINS) can read the audit trail.',
      });
      expect((await call(f.web.url, 'GET', '/api/audit')).status).toBe(401);
    });

    it('GIVEN Accept: text/csv or ?format=csv THEN the same entries as CSV, formula cells made text', async () => {
      const id = await leaseLifetime();
      for (const reply of [
        await api(`/api/audit?lease=${id}`, OPS_TOKEN, { accept: 'text/csv' }),
        await api(`/api/audit?lease=${id}&format=csv`),
      ]) {
        expect(reply.status).toBe(200);
        expect(reply.headers.get('content-type')).toBe('text/csv; charset=utf-8');
        expect(reply.headers.get('content-disposition')).toBe('attachment; filename=audit.csv');
        const lines = String(reply.body).trimEnd().split('\r\n');
        expect(lines[0]).toBe('time,actor,platform,action,lease,owner,team,image,params,outcome');
        expect(lines).toHaveLength(5);
        expect(lines[4]).toMatch(
          new RegExp(`^"[^"]+Z","api:ci","api","stop","${id}","api:ci","api","busybox",`),
        );
      }
      await f.audit.record({
        actor: 'api:ci',
        action: 'exec',
        leaseId: id,
        owner: 'api:ci',
        team: 'api',
        image: 'busybox',
        params: { command: '=1+1' },
        outcome: '@evil',
      });
      const csv = String((await api(`/api/audit?lease=${id}&format=csv`)).body);
      expect(csv).toContain(`"'@evil"`);
      expect(csv).not.toMatch(/(^|,)"[=+\-@]/m);
    });

    it('GIVEN owners, times, a page size and where to go on THEN the trail is filtered and paged', async () => {
      const before = Date.now() - 1;
      const first = await leaseLifetime();
      const all = entries((await api('/api/audit')).body);
      expect(all.filter((entry) => entry.leaseId === first)).toHaveLength(4);
      expect(entries((await api('/api/audit?owner=api:nobody')).body)).toEqual([]);
      expect(entries((await api('/api/audit?owner=api:ci')).body)).toHaveLength(4);
      const since = new Date(before).toISOString();
      expect(entries((await api(`/api/audit?since=${since}&until=${Date.now()}`)).body)).toHaveLength(4);
      expect(entries((await api(`/api/audit?until=${before}`)).body)).toEqual([]);
      const page = (await api('/api/audit?limit=3')).body as { entries: EntryBody[]; next: string };
      expect(page.entries).toEqual(all.slice(0, 3));
      const rest = (await api(`/api/audit?after=${page.next}`)).body as {
        entries: EntryBody[];
        next?: string;
      };
      expect(rest.entries).toEqual(all.slice(3));
      expect(rest.next).toBeUndefined();
    });

    it.each([
      ['/api/audit?limit=1001', 'limit is a whole number from 1 to 1000 (AUDIT_PAGE_LIMIT).'],
      ['/api/audit?limit=0', 'limit is a whole number from 1 to 1000'],
      ['/api/audit?since=yesterday', '"since": must be epoch milliseconds or an ISO 8601 time'],
      ['/api/audit?since=2000&until=1000', 'since must not be after until.'],
      ['/api/audit?lease=../etc', 'is not a lease id'],
      ['/api/audit?after=xyz', '"after": must be the next value of a previous page'],
      ['/api/audit?format=xml', '"format" must be one of json, csv'],
      ['/api/audit?sort=desc', 'unknown field "sort"'],
      ['/api/usage?days=0', 'Usage covers a whole number of days from 1 to 90.'],
      ['/api/usage?days=week', '"days": must be a whole number of days'],
    ])('GIVEN %s THEN 400 saying what is wrong', async (path, message) => {
      const reply = await api(path);
      expect(reply.status).toBe(400);
      expect(errorOf(reply).message).toContain(message);
    });

    it('GIVEN a lease that ran THEN /api/usage sums its minutes, and the Prometheus counter counts its seconds once it ended', async () => {
      const tally = new LeaseSecondsTally(f.audit, Date.now() - 1);
      f.metrics.watch({ leaseEnds: () => tally.take() });
      await leaseLifetime();
      const usage = (await api('/api/usage?days=1')).body as {
        byTeam: { key: string; leases: number }[];
        partial: boolean;
      };
      expect(usage.byTeam).toEqual([expect.objectContaining({ key: 'api', leases: 1 })]);
      expect(usage.partial).toBe(false);
      const metrics = String((await call(f.web.url, 'GET', '/metrics')).body);
      expect(metrics).toContain('# TYPE containerlease_lease_seconds_total counter');
      const counted = /containerlease_lease_seconds_total\{image="busybox",team="api"\} ([\d.]+)/.exec(
        metrics,
      );
      expect(Number(counted?.[1])).toBeGreaterThan(0);
      expect((await api('/api/usage', API_TOKEN)).status).toBe(403);
    });

    it('GIVEN DELETE with a reason THEN an admin’s stop tells the owner who and why, a reason past STOP_REASON_MAX or not in JSON is refused, and a non-admin’s reason is refused', async () => {
      const provision = async () =>
        (
          (
            await call(f.web.url, 'POST', '/api/provision', {
              token: API_TOKEN,
              body: { imageType: 'busybox', durationMinutes: 5 },
            })
          ).body as { id: string }
        ).id;
      const stop = (id: string, token: string, body?: unknown) =>
        call(f.web.url, 'DELETE', `/api/containers/${id}`, { token, body });
      const id = await provision();

      const tooLong = await stop(id, OPS_TOKEN, { reason: 'x'.repeat(STOP_REASON_MAX + 1) });
      expect(tooLong.status).toBe(400);
      expect(errorOf(tooLong)).toEqual({
        code: 'validation',
        message: `A reason is at most ${STOP_REASON_MAX} characters (this one has ${STOP_REASON_MAX + 1}).`,
      });
      const ownReason = await stop(id, API_TOKEN, { reason: 'done with it' });
      expect(ownReason.status).toBe(403);
      expect(errorOf(ownReason)).toEqual({
        code: 'forbidden',
        message: 'Only admins (ADMINS) can stop leases as an admin.',
      });
      const unknownField = await stop(id, OPS_TOKEN, { why: 'runaway' });
      expect(unknownField.status).toBe(400);
      expect(errorOf(unknownField).code).toBe('validation');
      // A reason sent as a form would otherwise be dropped while the lease stops anyway.
      const asForm = await fetch(`${f.web.url}/api/containers/${id}`, {
        method: 'DELETE',
        headers: {
          authorization: `Bearer ${OPS_TOKEN}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'reason=mining+crypto',
      });
      expect([asForm.status, await asForm.json()]).toEqual([
        415,
        {
          error: {
            code: 'validation',
            message:
              'Send the body as JSON with Content-Type: application/json (got application/x-www-form-urlencoded).',
          },
        },
      ]);
      expect((await f.store.get(id))?.status).toBe('active');

      expect((await stop(id, OPS_TOKEN, { reason: 'mining crypto' })).status).toBe(204);
      expect(await f.store.get(id)).toBeNull();
      const notices = await queuedNotices(f);
      expect(notices.filter((notice) => notice.leaseId === id)).toEqual([
        expect.objectContaining({
          kind: 'stopped',
          owner: 'api:ci',
          stoppedBy: 'api:ops',
          reason: 'mining crypto',
        }),
      ]);
      const trail = entries((await api(`/api/audit?lease=${id}`)).body);
      expect(trail.at(-1)).toMatchObject({
        action: 'stop',
        actor: 'api:ops',
        params: { reason: 'mining crypto' },
      });

      const plain = await provision();
      expect((await stop(plain, OPS_TOKEN)).status).toBe(204);
      const [told] = (await queuedNotices(f)).filter((notice) => notice.leaseId === plain);
      expect(told).toMatchObject({ kind: 'stopped', stoppedBy: 'api:ops' });
      expect(told).not.toHaveProperty('reason');
    });
  },
);
