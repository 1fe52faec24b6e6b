import { afterAll, expect, it } from 'vitest';
import { startTestApp } from '../support/app-process.js';
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
      app.send('/lease list');
      await app.waitFor(/You have no leases/);
    } finally {
      app.child.stdin.end();
    }
    expect(await app.exited).toBe(0);
  }, 180_000);
});
