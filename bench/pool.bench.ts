import { createPoolKeeper } from '../src/composition/pool.js';
import { systemClock } from '../src/core/ports/clock.js';
import type { WarmPool } from '../src/core/services/warm-pool.js';
import { bareCreateOptions, benchEnv } from './lib/bench-env.js';
import type { BenchRow } from './lib/report.js';
import { median, percentile, round, times } from './lib/stats.js';

const WARM_UPS = 2;
/** Idle members kept; each round claims one and the pool is filled again outside the timings. */
const POOL_SIZE = 2;

type Way = 'warm' | 'empty' | 'bare';

/**
 * Provisioning with a warm pool, three ways in the same loop, the order rotating each round:
 * LeaseService.provision claiming a ready member (`warm`), LeaseService.provision of a pooled image
 * type whose pool is empty (`empty`: the claim script finds no member and the container is made on
 * demand), and a bare dockerode create+start of the same image with the same hardening. The pool is
 * refilled and everything removed between rounds, outside the timings.
 */
export async function benchPool(samples: number): Promise<BenchRow[]> {
  const env = benchEnv(systemClock, {
    catalog: ['busybox', 'busybox-empty'],
    pool: (parts) =>
      createPoolKeeper(
        {
          pool: { sizes: new Map([['busybox', POOL_SIZE]]), maxIdleMs: 60 * 60_000 },
          container: parts.container,
        },
        parts.catalog,
        parts,
      ),
  });
  const keeper = env.pool;
  // An image type that counts as pooled but that no keeper fills: every claim of it is a miss.
  const emptyPool: WarmPool = { store: env.adapters.pool, keeps: () => true, claimed() {} };
  const empty = env.leaseService({ pool: emptyPool });
  const actor = env.leases.actor('api:bench');
  const notify = { platform: 'api', user: 'bench' };
  const took: Record<Way, number[]> = { warm: [], empty: [], bare: [] };
  let hits = 0;
  const claimed: string[] = [];
  try {
    await keeper?.keep();
    const ways: Record<Way, (round: number) => Promise<unknown>> = {
      warm: async () => {
        claimed.push(
          (await env.leases.provision(actor, { imageType: 'busybox', minutes: 60, notify })).containerId,
        );
      },
      empty: () => empty.provision(actor, { imageType: 'busybox-empty', minutes: 60, notify }),
      bare: async (round) => {
        const container = await env.docker.createContainer(
          bareCreateOptions(`bench-bare-${env.instanceId}-${round}`, env.scope),
        );
        await env.docker.getContainer(container.id).start();
      },
    };
    const order = Object.keys(ways) as Way[];
    for (let round = 0; round < samples + WARM_UPS; round += 1) {
      for (let k = 0; k < order.length; k += 1) {
        const way = order[(round + k) % order.length] as Way;
        const started = performance.now();
        await ways[way](round);
        const ms = performance.now() - started;
        if (round >= WARM_UPS) took[way].push(ms);
        // A warm claim's refill runs on after it: let it end, outside the timings, so no way is measured
        // while the pool makes members beside it.
        await keeper?.stop();
      }
      await keeper?.stop();
      // Counted outside the timings: a claimed member was renamed to carry its lease.
      const warmId = claimed.at(-1) ?? '';
      if ((await env.docker.getContainer(warmId).inspect()).Name.startsWith('/lease-')) hits += 1;
      for (const lease of await env.leases.list(actor)) await env.leases.stop(actor, lease.id);
      await env.docker.getContainer(`bench-bare-${env.instanceId}-${round}`).remove({ force: true });
      await keeper?.keep();
    }
  } finally {
    await keeper?.stop();
    await env.cleanup();
  }
  return poolRows(took, samples, hits);
}

function poolRows(took: Readonly<Record<Way, readonly number[]>>, samples: number, hits: number): BenchRow[] {
  for (const way of ['warm', 'empty', 'bare'] as const) {
    if (took[way].length !== samples)
      throw new Error(`${way}: ${took[way].length} samples, expected ${samples}`);
  }
  const bare = { p50: median(took.bare), p99: percentile(took.bare, 99) };
  const warm = { p50: median(took.warm), p99: percentile(took.warm, 99) };
  const cold = median(took.empty);
  const baseline = `${round(bare.p50)} ms p50, ${round(bare.p99)} ms p99 (dockerode create+start)`;
  const note = `${samples} rounds after ${WARM_UPS} warm-ups; warm pool, empty pool and bare dockerode in rotating order in each round`;
  return [
    {
      name: 'Provision from a warm pool, LeaseService',
      ours: `${round(warm.p50)} ms p50, ${round(warm.p99)} ms p99`,
      baseline,
      ratio: `${times(warm.p50 / bare.p50)} p50, ${times(warm.p99 / bare.p99)} p99`,
      target: '≤ 0.3× p50, ≤ 0.5× p99',
      verdict: warm.p50 / bare.p50 <= 0.3 && warm.p99 / bare.p99 <= 0.5 ? 'met' : 'missed',
      note:
        `${note}; ${hits} of ${samples + WARM_UPS} warm provisions took a ready member (claim and lease in one script, ` +
        `a rename, activation); POOL busybox=${POOL_SIZE}, refilled between rounds outside the timings.`,
      analysis: `A claim is two Redis scripts and one Docker rename; the bare side creates and starts a container (${round(bare.p50)} ms p50).`,
    },
    {
      name: 'Provision with an empty pool, LeaseService',
      ours: `${round(cold)} ms median`,
      baseline: `${round(bare.p50)} ms median (dockerode create+start)`,
      ratio: times(cold / bare.p50),
      target: '≤ 1.1×',
      verdict: cold / bare.p50 <= 1.1 ? 'met' : 'missed',
      note: `the same ${samples} rounds; a pooled image type whose pool no keeper fills, so the claim finds no member and the container is made on demand.`,
      analysis: `Beyond the bare create+start: the claim script (the lease written, no member), the image check and activation.`,
    },
  ];
}
