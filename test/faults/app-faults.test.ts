import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppProcess } from '../support/app-process.js';
import { eventually } from '../support/eventually.js';
import { REDIS_URL } from '../support/services.js';
import { leftovers, makeScenario } from './fault-kit.js';

const expiredNotices = (apps: AppProcess[], id: string) =>
  apps
    .flatMap((app) => app.stdout.split('\n'))
    .filter((line) => line.includes('[notice]') && line.includes(`lease ${id} expired`));

describe('fault: app processes crash, race and are raced', () => {
  let scenario: ReturnType<typeof makeScenario>;
  let apps: AppProcess[] = [];

  afterEach(async () => {
    await scenario.close(apps);
    apps = [];
  });

  it('GIVEN the app killed with -9 after claiming a lease THEN another instance finishes it after the visibility timeout', async () => {
    scenario = makeScenario(REDIS_URL);
    const lease = await scenario.provision(1_000, 'stubborn');
    const first = scenario.startApp({ CONTAINER_STOP_TIMEOUT: '30' });
    apps.push(first);
    await eventually(
      async () => (await scenario.store.get(lease.id))?.status === 'cleaning',
      30_000,
      'the claim',
    );
    first.child.kill('SIGKILL');
    await first.exited;
    expect((await scenario.containers()).map((c) => c.Id)).toEqual([lease.containerId]);
    const second = scenario.startApp();
    apps.push(second);
    await eventually(
      async () => (await scenario.containers()).length === 0,
      60_000,
      'the second instance to remove it',
    );
    expect(await leftovers(scenario)).toEqual({ containers: 0, leases: 0 });
    await eventually(async () => expiredNotices([second], lease.id).length > 0, 15_000, 'the notice');
  });

  it('GIVEN three instances at once THEN each due lease is removed once and each notice sent once', async () => {
    scenario = makeScenario(REDIS_URL);
    const leases = await Promise.all(Array.from({ length: 8 }, () => scenario.provision(3_000)));
    apps = [scenario.startApp(), scenario.startApp(), scenario.startApp()];
    await eventually(async () => (await leftovers(scenario)).leases === 0, 60_000, 'every lease cleaned');
    expect(await leftovers(scenario)).toEqual({ containers: 0, leases: 0 });
    for (const lease of leases) {
      await eventually(
        async () => expiredNotices(apps, lease.id).length > 0,
        15_000,
        `the notice for ${lease.id}`,
      );
    }
    await sleep(3_000);
    for (const lease of leases) expect(expiredNotices(apps, lease.id)).toHaveLength(1);
    const removals = apps
      .flatMap((app) => app.stderr.split('\n'))
      .filter((line) => line.includes('"action":"cleanup"') && line.includes('"status":"removed"'));
    expect(removals).toHaveLength(leases.length);
  });

  it('GIVEN a lease extended just before its deadline THEN it is never removed', async () => {
    scenario = makeScenario(REDIS_URL);
    const leases = await Promise.all(
      Array.from({ length: 5 }, (_, i) => scenario.provision(4_000 + i * 300)),
    );
    apps.push(scenario.startApp());
    const owner = scenario.leases.actor(scenario.owner);
    await Promise.all(
      leases.map(async (lease) => {
        await sleep(Math.max(0, lease.expiresAt - Date.now() - 50));
        await scenario.leases.extend(owner, lease.id, 1);
      }),
    );
    await sleep(5_000);
    const running = await scenario.containers();
    expect(running.map((c) => c.Id).sort()).toEqual(leases.map((l) => l.containerId).sort());
    for (const lease of leases) expect((await scenario.store.get(lease.id))?.status).toBe('active');
  });

  it('GIVEN many leases with random durations THEN no container disappears before its expiry, and all go', async () => {
    scenario = makeScenario(REDIS_URL);
    const durations = Array.from({ length: 12 }, () => 2_000 + Math.floor(Math.random() * 13_000));
    const leases = await Promise.all(durations.map((inMs) => scenario.provision(inMs)));
    apps.push(scenario.startApp());
    const goneAt = new Map<string, number>();
    await eventually(
      async () => {
        const present = new Set((await scenario.containers()).map((c) => c.Id));
        const now = Date.now();
        for (const lease of leases)
          if (!present.has(lease.containerId) && !goneAt.has(lease.id)) goneAt.set(lease.id, now);
        return goneAt.size === leases.length;
      },
      60_000,
      'every container removed',
    );
    for (const lease of leases) expect(goneAt.get(lease.id)).toBeGreaterThanOrEqual(lease.expiresAt);
    expect(await leftovers(scenario)).toEqual({ containers: 0, leases: 0 });
  });
});
