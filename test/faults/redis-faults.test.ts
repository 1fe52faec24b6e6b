import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { consoleUser } from '../../src/bots/console/console-user.js';
import type { AppProcess } from '../support/app-process.js';
import { containerEndings } from '../support/docker-events.js';
import { eventually } from '../support/eventually.js';
import {
  expectEndedAtExpiryAndToldOnce,
  expiredNotices,
  freePort,
  leftovers,
  makeScenario,
  RedisServer,
} from './fault-kit.js';

describe('fault: Redis loses its data or dies', () => {
  let redis: RedisServer;
  let scenario: ReturnType<typeof makeScenario>;
  let apps: AppProcess[] = [];

  afterEach(async () => {
    await scenario.close(apps);
    apps = [];
    await redis.stop();
  });

  it('GIVEN FLUSHALL while leases are live THEN Docker ends each container at or after its labelled expiry, and its owner is told', async () => {
    redis = new RedisServer(await freePort());
    await redis.start();
    scenario = makeScenario(redis.url);
    const app = scenario.startApp();
    apps.push(app);
    await app.waitFor(/Dashboard for/);
    const since = Date.now();
    const leases = await Promise.all([6_000, 8_000, 10_000, 14_000].map((inMs) => scenario.provision(inMs)));
    await scenario.redis.flushall();
    await eventually(
      async () => (await scenario.containers()).length === 0,
      60_000,
      'every container removed',
    );
    expect(await leftovers(scenario)).toEqual({ containers: 0, leases: 0 });
    await expectEndedAtExpiryAndToldOnce(scenario, app, leases, since);
  });

  it('GIVEN FLUSHALL while leases claimed from a warm pool are live THEN each ends at or after the expiry its name carries, its owner is told, and the pool fills again with members it can vouch for', async () => {
    redis = new RedisServer(await freePort());
    await redis.start();
    scenario = makeScenario(redis.url);
    const app = scenario.startApp({ POOL: 'busybox=3' });
    apps.push(app);
    await app.waitFor(/Dashboard for/);
    const pool = scenario.adapters.pool;
    await eventually(async () => (await pool.members('busybox')).length === 3, 60_000, 'a full pool');
    const members = new Set((await pool.members('busybox')).map((member) => member.containerId));
    const since = Date.now();
    const who = { owner: scenario.owner, notify: { platform: 'local', user: consoleUser() } };
    const leases = await Promise.all(
      [6_000, 9_000].map((inMs) => scenario.provision(inMs, 'busybox', who, true)),
    );
    for (const lease of leases) expect(members.has(lease.containerId)).toBe(true);
    await scenario.redis.flushall();
    const gone = async (id: string) => !(await scenario.containers()).some((c) => c.Id === id);
    for (const lease of leases)
      await eventually(() => gone(lease.containerId), 60_000, `${lease.id} removed`);
    await expectEndedAtExpiryAndToldOnce(scenario, app, leases, since);
    // The idle members Redis forgot were removed, never handed out; new ones were made.
    await eventually(
      async () => {
        const now = (await pool.members('busybox')).map((member) => member.containerId);
        return now.length === 3 && now.every((id) => !members.has(id));
      },
      60_000,
      'a pool of new members',
    );
  });

  it('GIVEN Redis killed with -9 and restarted (append-only) THEN an extension made before the kill survives, and nothing leaks', async () => {
    redis = new RedisServer(await freePort());
    await redis.start();
    scenario = makeScenario(redis.url);
    const app = scenario.startApp();
    apps.push(app);
    await app.waitFor(/Dashboard for/);
    const since = Date.now();
    // Live until well after the kill and restart, even when provisioning on a loaded engine is slow.
    const leases = await Promise.all([10_000, 10_000, 12_000].map((inMs) => scenario.provision(inMs)));
    // Only Redis knows the extended expiry: the container's label still says the first one.
    const extended = await scenario.store.extend(leases[0]?.id ?? '', 10_000, 'local:alice');
    await sleep(1_500); // past the one-second fsync window
    await redis.kill();
    await redis.start();
    expect((await scenario.store.get(extended.id))?.expiresAt).toBe(extended.expiresAt);
    expect(await scenario.store.count()).toBe(3);
    await eventually(
      async () => (await scenario.containers()).length === 0,
      60_000,
      'every container removed',
    );
    expect(await leftovers(scenario)).toEqual({ containers: 0, leases: 0 });
    const endings = await containerEndings(scenario.docker, scenario.instanceId, since);
    expect(endings.get(extended.containerId)).toBeGreaterThanOrEqual(extended.expiresAt);
    for (const lease of leases.slice(1))
      expect(endings.get(lease.containerId)).toBeGreaterThanOrEqual(lease.expiresAt);
    for (const lease of leases) {
      await eventually(
        async () => expiredNotices(app, lease.id).length > 0,
        15_000,
        `the notice for ${lease.id}`,
      );
    }
  });
});
