import { systemClock } from '../src/core/ports/clock.js';
import { benchEnv } from './lib/bench-env.js';
import type { BenchRow } from './lib/report.js';
import { median, percentile, round, times } from './lib/stats.js';

const DUE = 10;
/**
 * Untimed calls before each size's samples: the first calls pay for loading the script into Redis,
 * compiling our code and warming the connection (p99 3.5 ms against 0.7 ms once warm, at 1,000).
 */
const WARM_UP_CALLS = 50;

/**
 * The claim script's cost as the expiry index grows: `n` leases that are not due plus 10 that are,
 * claimed 10 at a time and put back between calls. It must stay flat (O(log n + k)).
 */
export async function benchClaim(sizes: readonly number[], calls: number): Promise<BenchRow> {
  const env = benchEnv(systemClock);
  const results: string[] = [];
  const medians: number[] = [];
  const bare: number[] = [];
  try {
    const future = Date.now() + 3_600_000;
    let filled = 0;
    for (const size of sizes) {
      while (filled < size) {
        const batch = Math.min(10_000, size - filled);
        const args: (string | number)[] = [];
        for (let i = 0; i < batch; i += 1) args.push(future + filled + i, `n${filled + i}`);
        await env.redis.zadd(env.keys.expiry(), ...args);
        filled += batch;
      }
      for (let call = 0; call < WARM_UP_CALLS; call += 1) await claimTenDue(env);
      const samples: number[] = [];
      for (let call = 0; call < calls; call += 1) samples.push(await claimTenDue(env));
      medians.push(median(samples));
      if (size === sizes.at(-1)) bare.push(...(await bareRangeReads(env, calls)));
      results.push(
        `${size.toLocaleString('en')}: ${round(median(samples) * 1000, 0)} µs (p99 ${round(percentile(samples, 99) * 1000, 0)} µs)`,
      );
    }
  } finally {
    await env.cleanup();
  }
  const growth = (medians.at(-1) ?? 0) / (medians[0] ?? 1);
  return {
    name: `Claim script, ${DUE} due, by index size`,
    ours: results.join('; '),
    baseline: `the smallest index (${sizes[0]?.toLocaleString('en')})`,
    ratio: `${times(growth)} from smallest to largest`,
    target: 'flat (O(log n + k))',
    verdict: growth <= 2 ? 'met' : 'missed',
    note:
      `median and p99 of ${calls} calls each after ${WARM_UP_CALLS} untimed ones, one client, including the round trip; for scale, a bare ` +
      `\`ZRANGEBYSCORE -inf +inf LIMIT 0 ${DUE}\` round trip on the largest index took ${round(median(bare) * 1000, 0)} µs median.`,
  };
}

/** Puts the 10 due leases back, then times one claim of them; milliseconds. */
async function claimTenDue(env: ReturnType<typeof benchEnv>): Promise<number> {
  const pipeline = env.redis.pipeline();
  for (let d = 0; d < DUE; d += 1) {
    pipeline.zadd(env.keys.expiry(), 1, `due${d}`);
    pipeline.hset(env.keys.lease(`due${d}`), 'id', `due${d}`, 'status', 'active', 'expiresAt', '1');
  }
  await pipeline.exec();
  const started = performance.now();
  const claims = await env.store.claimDue(DUE, 60_000);
  const took = performance.now() - started;
  if (claims.length !== DUE) throw new Error(`claimed ${claims.length}, expected ${DUE}`);
  return took;
}

/** A read of the first due ids without the script (no claim, no writes): the floor of any claim. */
async function bareRangeReads(env: ReturnType<typeof benchEnv>, calls: number): Promise<number[]> {
  const samples: number[] = [];
  for (let call = 0; call < calls; call += 1) {
    const started = performance.now();
    await env.redis.zrangebyscore(env.keys.expiry(), '-inf', '+inf', 'LIMIT', 0, DUE);
    samples.push(performance.now() - started);
  }
  return samples;
}
