import { afterEach, describe, expect, it } from 'vitest';
import type { AppProcess } from '../support/app-process.js';
import { eventually } from '../support/eventually.js';
import { REDIS_URL } from '../support/services.js';
import { canRestartDockerEngine, restartDockerEngine } from './docker-engine.js';
import { leftovers, makeScenario } from './fault-kit.js';

const mustRun = process.env.CI === 'true' || canRestartDockerEngine();

describe.skipIf(!mustRun)('fault: the Docker engine restarts during a cleanup run', () => {
  let scenario: ReturnType<typeof makeScenario>;
  let apps: AppProcess[] = [];

  afterEach(async () => {
    await scenario.close(apps);
    apps = [];
  });

  it('GIVEN due leases being removed WHEN the engine restarts THEN retries carry the run and nothing leaks', async () => {
    scenario = makeScenario(REDIS_URL);
    // Leases falling due before, during and after the engine's absence, removed one at a time.
    const leases = await Promise.all(
      Array.from({ length: 30 }, (_, i) => scenario.provision(4_000 + (i % 3) * 4_000)),
    );
    const app = scenario.startApp({ CLEANUP_CONCURRENCY: '1' });
    apps.push(app);
    await eventually(
      async () => (await scenario.containers()).length < leases.length,
      60_000,
      'the run to start removing',
    );
    await restartDockerEngine({ downForMs: 4_000 });
    await eventually(
      async () => (await leftovers(scenario)).leases === 0,
      120_000,
      'every lease cleaned after the restart',
    );
    expect(await leftovers(scenario)).toEqual({ containers: 0, leases: 0 });
    expect(app.child.exitCode).toBeNull();
    // The outage was felt, and retried: a removal needed another attempt, or a run failed and a later one finished.
    const lines = app.stderr.split('\n').filter((line) => line.startsWith('{'));
    const retried = lines.some((line) => {
      const entry = JSON.parse(line) as { action?: string; status?: string; attempts?: number; msg?: string };
      if (entry.action === 'cleanup') return entry.status === 'failed' || (entry.attempts ?? 1) > 1;
      return entry.action === 'cleanup-run' && entry.msg?.startsWith('cleanup run failed') === true;
    });
    expect(
      retried,
      lines
        .filter((l) => !l.includes('lease removed'))
        .slice(-30)
        .join('\n'),
    ).toBe(true);
  });
});
