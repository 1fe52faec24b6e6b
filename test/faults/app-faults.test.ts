import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppProcess } from '../support/app-process.js';
import { containerEndings } from '../support/docker-events.js';
import { eventually } from '../support/eventually.js';
import { REDIS_URL } from '../support/services.js';
import { cleanupRunEnds, expectToldOnce, expiredNotices, leftovers, makeScenario } from './fault-kit.js';

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
    await expectToldOnce(apps, leases);
    const removals = apps
      .flatMap((app) => app.stderr.split('\n'))
      .filter((line) => line.includes('"action":"cleanup"') && line.includes('"status":"removed"'));
    expect(removals).toHaveLength(leases.length);
  });

  it('GIVEN a lease extended just before its deadline THEN it is never removed, though cleanup ran on both sides of each deadline', async () => {
    scenario = makeScenario(REDIS_URL);
    const app = scenario.startApp();
    apps.push(app);
    await app.waitFor(/Dashboard for/);
    // Deadlines far enough out that five provisions on a loaded engine finish well before them.
    const leases = await Promise.all(
      Array.from({ length: 5 }, (_, i) => scenario.provision(12_000 + i * 300)),
    );
    const owner = scenario.leases.actor(scenario.owner);
    await Promise.all(
      leases.map(async (lease) => {
        // Just before the deadline, inside one cleanup interval, with room for a timer that fires late.
        await sleep(Math.max(0, lease.expiresAt - Date.now() - 400));
        await scenario.leases.extend(owner, lease.id, 1);
      }),
    );
    const last = Math.max(...leases.map((lease) => lease.expiresAt));
    // Runs follow one another, so the second run to finish after a deadline started after it.
    await eventually(
      () => cleanupRunEnds(app).filter((end) => end > last).length >= 2,
      30_000,
      'two cleanup runs after the last deadline',
    );
    const ends = cleanupRunEnds(app);
    for (const lease of leases) {
      expect(ends.some((end) => end < lease.expiresAt)).toBe(true);
      expect(ends.filter((end) => end > lease.expiresAt).length).toBeGreaterThanOrEqual(2);
    }
    const running = await scenario.containers();
    expect(running.map((c) => c.Id).sort()).toEqual(leases.map((l) => l.containerId).sort());
    for (const lease of leases) expect((await scenario.store.get(lease.id))?.status).toBe('active');
  });

  it('GIVEN many leases with random durations THEN Docker ends no container before its expiry, and all go', async () => {
    scenario = makeScenario(REDIS_URL);
    const app = scenario.startApp();
    apps.push(app);
    await app.waitFor(/Dashboard for/);
    // Provisioned while the job runs, so its runs fall before, between and after the expiries.
    const since = Date.now();
    const durations = Array.from({ length: 12 }, () => 4_000 + Math.floor(Math.random() * 11_000));
    const leases = await Promise.all(durations.map((inMs) => scenario.provision(inMs)));
    await eventually(async () => (await leftovers(scenario)).leases === 0, 60_000, 'every lease cleaned');
    expect(await leftovers(scenario)).toEqual({ containers: 0, leases: 0 });
    const endings = await containerEndings(scenario.docker, scenario.instanceId, since);
    for (const lease of leases)
      expect(endings.get(lease.containerId)).toBeGreaterThanOrEqual(lease.expiresAt);
  });
});
