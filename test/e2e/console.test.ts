import { afterAll, describe, expect, it } from 'vitest';
import { consoleUser } from '../../src/bots/console/console-user.js';
import { startTestApp } from '../support/app-process.js';
import { auditLines } from '../support/audit-trail.js';
import { describeWith, TEST_LEASE_NETWORK } from '../support/services.js';

describeWith({ redis: true, docker: true })('npm run console, fed through a pipe', () => {
  const run = startTestApp(['--console'], {
    CLEANUP_INTERVAL: '2s',
    LEASE_WARN_MINUTES: '10',
    LOG_LEVEL: 'warn',
  });
  const { app } = run;

  afterAll(() => run.clean());

  it('GIVEN a one-minute lease THEN provision (on the lease network), list, a warning and the expiry notice arrive, and the container is gone', async () => {
    try {
      app.send('/lease provision busybox 1');
      const [, id] = await app.waitFor(/Your busybox container is running: lease ([0-9a-z]{10})/);
      // The product puts its leases on CONTAINER_NETWORK (this run's), never the default bridge.
      expect(TEST_LEASE_NETWORK).toMatch(/^clt-/);
      expect((await run.containers()).map((c) => c.HostConfig.NetworkMode)).toEqual([TEST_LEASE_NETWORK]);
      app.send('/lease list');
      await app.waitFor(/You have 1 lease/);
      await app.waitFor(new RegExp(`\\[notice\\] Your busybox lease ${id} ends in`));
      await app.waitFor(
        new RegExp(`\\[notice\\] Your busybox lease ${id} expired and its container was removed`),
      );
      expect(await run.containers()).toEqual([]);
      expect(app.stdout.match(/\[notice\]/g)).toHaveLength(2);
      const owner = `local:${consoleUser()}`;
      expect(await auditLines(run.prefix, id ?? '')).toEqual([
        `provision ${owner} local provisioning`,
        `provision ${owner} local active`,
        'expire system local removed',
      ]);
      app.send('/lease list');
      await app.waitFor(/You have no leases/);
    } finally {
      app.child.stdin.end();
    }
    expect(await app.exited).toBe(0);
  }, 180_000);

  describe('as an admin (ADMINS names the console user)', () => {
    const admin = startTestApp(['--console'], { ADMINS: `local:${consoleUser()}`, LOG_LEVEL: 'warn' });
    afterAll(() => admin.clean());

    it('GIVEN provision, extend, admin list, audit, usage and an admin stop with a reason THEN each answers, and the trail holds every change', async () => {
      const { app: console } = admin;
      const owner = `local:${consoleUser()}`;
      try {
        console.send('/lease provision busybox 30');
        const [, id = ''] = await console.waitFor(
          /Your busybox container is running: lease ([0-9a-z]{10})/,
          30_000,
        );
        console.send(`/lease extend ${id} 15`);
        await console.waitFor(new RegExp(`Lease ${id} now ends`), 30_000);
        console.send('/lease admin list');
        await console.waitFor(
          /1 lease in all[\s\S]*Owner: local:[\s\S]*Team: local[\s\S]*Time left: 4\d min/,
          30_000,
        );
        console.send(`/lease admin audit ${id}`);
        await console.waitFor(/extend by local:[^:]+: extended \([^)]*minutes=15/, 30_000);
        console.send('/lease admin usage 1');
        await console.waitFor(/Usage over the last 1 day: \d+ lease-minutes/, 30_000);
        console.send(`/lease admin stop ${id} end of the demo`);
        await console.waitFor(new RegExp(`Lease ${id} stopped and its container removed`));
        expect(await admin.containers()).toEqual([]);
        expect(await auditLines(admin.prefix, id)).toEqual([
          `provision ${owner} local provisioning`,
          `provision ${owner} local active`,
          `extend ${owner} local extended`,
          `stop ${owner} local removed`,
        ]);
      } finally {
        console.child.stdin.end();
      }
      expect(await console.exited).toBe(0);
    }, 120_000);
  });
});
