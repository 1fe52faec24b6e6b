import { systemClock } from '../src/core/ports/clock.js';
import { bareCreateOptions, benchEnv } from './lib/bench-env.js';
import type { BenchRow } from './lib/report.js';
import { median, round, timed } from './lib/stats.js';

/**
 * Provisioning through LeaseService (validation, the lease in Redis, image check, create, start,
 * activate) against a bare dockerode create+start of the same image with the same hardening,
 * alternating so both see the same machine state. Containers are removed between samples.
 */
export async function benchProvisionService(samples = 21): Promise<BenchRow> {
  const env = benchEnv(systemClock);
  const actor = env.leases.actor('api:bench');
  const ours: number[] = [];
  const bare: number[] = [];
  try {
    for (let i = 0; i < samples + 2; i += 1) {
      const oursMs = await timed(() =>
        env.leases.provision(actor, { imageType: 'busybox', minutes: 60, notify: { platform: 'api', user: 'bench' } }),
      );
      let container: { id: string } | undefined;
      const bareMs = await timed(async () => {
        container = await env.docker.createContainer(bareCreateOptions(`bench-bare-${i}-${Date.now()}`));
        await env.docker.getContainer(container.id).start();
      });
      if (i >= 2) {
        ours.push(oursMs);
        bare.push(bareMs);
      }
      for (const lease of await env.leases.list(actor)) await env.leases.stop(actor, lease.id);
      if (container) await env.docker.getContainer(container.id).remove({ force: true });
    }
  } finally {
    await env.cleanup();
  }
  const ratio = median(ours) / median(bare);
  return {
    name: 'Provision (LeaseService)',
    ours: `${round(median(ours))} ms median`,
    baseline: `${round(median(bare))} ms median (dockerode create+start)`,
    ratio: `${round(ratio, 2)}×`,
    target: '≤ 1.15×',
    verdict: ratio <= 1.15 ? 'met' : 'missed',
    note: `${samples} samples each after 2 warm-ups, alternating.`,
  };
}
