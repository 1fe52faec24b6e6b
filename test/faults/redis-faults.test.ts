import { afterEach, describe, expect, it } from 'vitest';
import type { AppProcess } from '../support/app-process.js';
import { eventually } from '../support/eventually.js';
import { freePort, leftovers, makeScenario, RedisServer } from './fault-kit.js';

const noticesFor = (app: AppProcess, id: string) =>
  app.stdout
    .split('\n')
    .filter((line) => line.includes('[notice]') && line.includes(id) && line.includes('expired'));

describe('fault: Redis loses its data or dies', () => {
  let redis: RedisServer;
  let scenario: ReturnType<typeof makeScenario>;
  let apps: AppProcess[] = [];

  afterEach(async () => {
    await scenario.close(apps);
    apps = [];
    await redis.stop();
  });

  it('GIVEN FLUSHALL while leases are live THEN every container is still removed at its labelled expiry and its owner told', async () => {
    redis = new RedisServer(await freePort());
    await redis.start();
    scenario = makeScenario(redis.url);
    const leases = await Promise.all([6_000, 6_000, 8_000, 12_000].map((inMs) => scenario.provision(inMs)));
    const app = scenario.startApp();
    apps.push(app);
    await app.waitFor(/Dashboard for/);
    await scenario.redis.flushall();
    await eventually(
      async () => (await scenario.containers()).length === 0,
      60_000,
      'every container removed',
    );
    expect(await leftovers(scenario)).toEqual({ containers: 0, leases: 0 });
    for (const lease of leases) {
      await eventually(
        async () => noticesFor(app, lease.id).length > 0,
        15_000,
        `the notice for ${lease.id}`,
      );
      expect(noticesFor(app, lease.id)).toHaveLength(1);
    }
  });

  it('GIVEN Redis killed with -9 and restarted (append-only) THEN no lease is lost and none leaks', async () => {
    redis = new RedisServer(await freePort());
    await redis.start();
    scenario = makeScenario(redis.url);
    const leases = await Promise.all([8_000, 8_000, 10_000].map((inMs) => scenario.provision(inMs)));
    const app = scenario.startApp();
    apps.push(app);
    await app.waitFor(/Dashboard for/);
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // past the one-second fsync window
    await redis.kill();
    await redis.start();
    expect(await scenario.store.count()).toBe(3);
    await eventually(
      async () => (await scenario.containers()).length === 0,
      60_000,
      'every container removed',
    );
    expect(await leftovers(scenario)).toEqual({ containers: 0, leases: 0 });
    for (const lease of leases) {
      await eventually(
        async () => noticesFor(app, lease.id).length > 0,
        15_000,
        `the notice for ${lease.id}`,
      );
    }
  });
});
