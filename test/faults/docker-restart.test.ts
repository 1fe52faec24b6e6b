import { afterEach, describe, expect, it } from 'vitest';
import type { AppProcess } from '../support/app-process.js';
import { REDIS_URL } from '../support/services.js';
import { canRestartDockerEngine, restartDockerEngine } from './docker-engine.js';
import { leftovers, makeScenario, until } from './fault-kit.js';

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
    const leases = await Promise.all(Array.from({ length: 10 }, () => scenario.provision(2_000, 'stubborn')));
    // A stop of these containers takes the whole stop timeout, so the run is still busy when the engine goes.
    const app = scenario.startApp({ CONTAINER_STOP_TIMEOUT: '3', CLEANUP_CONCURRENCY: '2' });
    apps.push(app);
    await until(
      async () => (await scenario.containers()).length < leases.length,
      60_000,
      'the run to start removing',
    );
    await restartDockerEngine();
    await until(
      async () => (await leftovers(scenario)).leases === 0,
      120_000,
      'every lease cleaned after the restart',
    );
    expect(await leftovers(scenario)).toEqual({ containers: 0, leases: 0 });
    expect(app.child.exitCode).toBeNull();
  });
});
