import { systemClock } from '../src/core/ports/clock.js';
import { mapWithConcurrency } from '../src/core/services/concurrency.js';
import { ManualClock } from '../test/doubles/manual-clock.js';
import { type BenchEnv, bareCreateOptions, benchEnv } from './lib/bench-env.js';
import type { BenchRow } from './lib/report.js';
import { median, round, timed, times } from './lib/stats.js';
import { StepTimer } from './lib/step-timer.js';

const CONCURRENCY = 4;
const TARGET = 1.3;

/**
 * One cleanup run over `count` due leases (claim, re-read, final logs, stop, remove, delete with
 * its notice, reconcile) against stopping and removing as many containers with bare dockerode at the
 * same concurrency, repeated `reps` times with the order alternating. Each side's containers are
 * created just before its timed run, so each run sees the engine holding the same number of them.
 */
export async function benchCleanup(count: number, reps: number): Promise<BenchRow> {
  const clock = new ManualClock(0);
  const env = benchEnv(clock);
  const steps = new StepTimer();
  const ours: number[] = [];
  const bare: number[] = [];
  try {
    for (let rep = 0; rep < reps; rep += 1) {
      const runOurs = async () => {
        clock.set(systemClock.now() - 2 * 3_600_000);
        await provisionDue(env, count);
        clock.set(systemClock.now());
        ours.push(await timed(() => cleanupRun(env, steps, count)));
      };
      const runBare = async () => {
        const ids = await createBare(env, count, rep);
        bare.push(await timed(() => removeBare(env, steps, ids)));
      };
      if (rep % 2 === 0) await runOurs().then(runBare);
      else await runBare().then(runOurs);
    }
  } finally {
    await env.cleanup();
  }
  // Each run of ours against the bare run beside it: the machine's mood is shared within a pair.
  const ratios = ours.map((ms, i) => ms / (bare[i] ?? Number.NaN));
  const ratio = median(ratios);
  const perRep = ratios.map(times).join(', ');
  return {
    name: `Cleanup run, ${count} due leases`,
    ours: `${round(median(ours) / 1000, 2)} s median`,
    baseline: `${round(median(bare) / 1000, 2)} s median (dockerode stop+remove, ${CONCURRENCY} at a time)`,
    ratio: `${times(ratio)} (median of per-run ratios)`,
    target: `≤ ${TARGET}×`,
    verdict: ratio <= TARGET ? 'met' : 'missed',
    note:
      `${reps} runs of each, alternating which goes first (ratios per run: ${perRep}); ${CONCURRENCY} leases at a time on both sides. ` +
      `Mean per lease, ours: ${breakdown(steps)}; bare: stop ${ms(steps.meanMs('bare.stop'))}, remove ${ms(steps.meanMs('bare.remove'))}.`,
    analysis: `Per lease, the run spent ${breakdown(steps)}, where bare dockerode spent stop ${ms(steps.meanMs('bare.stop'))} and remove ${ms(steps.meanMs('bare.remove'))}.`,
  };
}

async function provisionDue(env: BenchEnv, count: number): Promise<void> {
  const actor = env.leases.actor('api:bench');
  await mapWithConcurrency(Array.from({ length: count }), CONCURRENCY, () =>
    env.leases.provision(actor, {
      imageType: 'busybox',
      minutes: 60,
      notify: { platform: 'api', user: 'bench' },
    }),
  );
}

async function createBare(env: BenchEnv, count: number, rep: number): Promise<string[]> {
  return mapWithConcurrency(
    Array.from({ length: count }, (_, i) => i),
    CONCURRENCY,
    async (i) => {
      const container = await env.docker.createContainer(
        bareCreateOptions(`bench-clean-${env.instanceId}-${rep}-${i}`, env.scope),
      );
      await env.docker.getContainer(container.id).start();
      return container.id;
    },
  );
}

async function cleanupRun(env: BenchEnv, steps: StepTimer, count: number): Promise<void> {
  await expectRunning(env, count);
  const lifecycle = env.lifecycle(CONCURRENCY, {
    runtime: steps.wrap(env.runtime, 'docker'),
    store: steps.wrap(env.store, 'redis'),
  });
  const { removed } = await lifecycle.runCleanup();
  if (removed !== count) throw new Error(`the run removed ${removed} of ${count} leases`);
}

/** Something else on a shared machine could remove our containers; then the timing would mean nothing. */
async function expectRunning(env: BenchEnv, count: number): Promise<void> {
  const label = `io.containerlease.instance=${env.instanceId}`;
  const found = await env.docker.listContainers({ filters: { label: [label], status: ['running'] } });
  if (found.length !== count)
    throw new Error(`${found.length} of the ${count} leased containers are running before the run`);
}

async function removeBare(env: BenchEnv, steps: StepTimer, ids: readonly string[]): Promise<void> {
  await mapWithConcurrency(ids, CONCURRENCY, async (id) => {
    await steps.time('bare.stop', () => env.docker.getContainer(id).stop({ t: 10 }));
    await steps.time('bare.remove', () => env.docker.getContainer(id).remove({ force: true, v: true }));
  });
}

/** "stop 120 ms, remove 40 ms, …" for our steps that take at least a tenth of a millisecond per lease. */
function breakdown(steps: StepTimer): string {
  const names: Record<string, string> = {
    'docker.stop': 'stop',
    'docker.remove': 'remove',
    'docker.logs': 'final-log read',
    'docker.list': 'label lookup',
    'docker.inspect': 'inspect',
    'redis.beginCleaning': 'Redis re-read',
    'redis.delete': 'Redis delete + notice',
  };
  const perLease = steps.steps().filter((s) => names[s.step]);
  const leases = Math.max(1, steps.steps().find((s) => s.step === 'redis.beginCleaning')?.calls ?? 1);
  return perLease.map((s) => `${names[s.step]} ${ms(s.totalMs / leases)}`).join(', ');
}

function ms(value: number): string {
  return `${round(value, 1)} ms`;
}
