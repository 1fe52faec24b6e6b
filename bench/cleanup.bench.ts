import { systemClock } from '../src/core/ports/clock.js';
import { mapWithConcurrency } from '../src/core/services/concurrency.js';
import { ManualClock } from '../test/doubles/manual-clock.js';
import { bareCreateOptions, benchEnv } from './lib/bench-env.js';
import type { BenchRow } from './lib/report.js';
import { round, timed } from './lib/stats.js';

const CONCURRENCY = 4;

/**
 * One cleanup run over `count` due leases (claim, re-read, final logs, stop, remove, delete with
 * its notice, reconcile) against stopping and removing the same number of containers with bare
 * dockerode at the same concurrency.
 */
export async function benchCleanup(count: number): Promise<BenchRow> {
  const clock = new ManualClock(Date.now() - 2 * 3_600_000);
  const env = benchEnv(clock);
  try {
    const actor = env.leases.actor('api:bench');
    await mapWithConcurrency(Array.from({ length: count }), CONCURRENCY, () =>
      env.leases.provision(actor, { imageType: 'busybox', minutes: 60, notify: { platform: 'api', user: 'bench' } }),
    );
    clock.set(systemClock.now());
    let removed = 0;
    const oursMs = await timed(async () => {
      removed = (await env.lifecycle(CONCURRENCY).runCleanup()).removed;
    });
    if (removed !== count) throw new Error(`the run removed ${removed} of ${count} leases`);

    const ids = await mapWithConcurrency(Array.from({ length: count }, (_, i) => i), CONCURRENCY, async (i) => {
      const container = await env.docker.createContainer(bareCreateOptions(`bench-clean-${i}-${Date.now()}`));
      await env.docker.getContainer(container.id).start();
      return container.id;
    });
    const bareMs = await timed(() =>
      mapWithConcurrency(ids, CONCURRENCY, async (id) => {
        await env.docker.getContainer(id).stop({ t: 10 });
        await env.docker.getContainer(id).remove({ force: true, v: true });
      }),
    );
    const ratio = oursMs / bareMs;
    return {
      name: `Cleanup run, ${count} due leases`,
      ours: `${round(oursMs / 1000, 2)} s`,
      baseline: `${round(bareMs / 1000, 2)} s (dockerode stop+remove, ${CONCURRENCY} at a time)`,
      ratio: `${round(ratio, 2)}×`,
      target: '≤ 1.3×',
      verdict: ratio <= 1.3 ? 'met' : 'missed',
    };
  } finally {
    await env.cleanup();
  }
}
