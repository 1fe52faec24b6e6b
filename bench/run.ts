// npm run bench [-- <names…>] [--quick] [--out <file>|--no-write]: ContainerLease against the bare tools
// it wraps, each ratio against a baseline measured in the same run. See docs/benchmarks.md.
import { benchClaim } from './claim.bench.js';
import { benchCleanup } from './cleanup.bench.js';
import { benchEventLoop } from './event-loop.bench.js';
import { benchFanout } from './fanout.bench.js';
import { benchFootprint } from './footprint.bench.js';
import { type RunRecord, writeReport } from './lib/doc.js';
import { cleanEverything, cleanUpOnSignals, disconnect, interrupted, leftovers } from './lib/janitor.js';
import { type BenchName, parseRunOptions, USAGE } from './lib/options.js';
import { type BenchRow, describeMachine, load, table } from './lib/report.js';
import { benchPool } from './pool.bench.js';
import { benchPorts } from './ports.bench.js';
import { benchProvision } from './provision.bench.js';
import { benchSlackAck } from './slack-ack.bench.js';
import { benchTerminal } from './terminal.bench.js';

const options = (() => {
  if (process.argv.includes('--help')) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  try {
    return parseRunOptions(process.argv.slice(2), process.env);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  }
})();
const quick = options.quick;

/** Each benchmark at full size, or shortened by BENCH_QUICK. */
const benches: Record<BenchName, () => Promise<BenchRow | BenchRow[]>> = {
  provision: () => benchProvision(quick ? 5 : 31),
  pool: () => benchPool(quick ? 5 : 31),
  slack: () => benchSlackAck(quick ? { rounds: 2, burstsPerRound: 3 } : { rounds: 20, burstsPerRound: 5 }),
  cleanup: () => (quick ? benchCleanup(20, 1) : benchCleanup(200, 4)),
  claim: () => (quick ? benchClaim([1_000, 100_000], 100) : benchClaim([1_000, 100_000, 1_000_000], 300)),
  fanout: () => benchFanout([1, 10, 100], quick ? 3 : 8),
  eventloop: () => benchEventLoop(quick ? 3 : 10),
  footprint: () => benchFootprint({ viewers: 1000, settleMs: quick ? 3_000 : 10_000 }),
  terminal: () => (quick ? benchTerminal(100, 1) : benchTerminal(600, 3)),
  ports: () => (quick ? benchPorts(2, 2) : benchPorts(4, 5)),
};

cleanUpOnSignals();
const startedAt = new Date();
const loadBefore = load();
const rows: BenchRow[] = [];
let failed = false;
try {
  for (const name of options.selected) {
    if (interrupted()) break;
    const started = performance.now();
    process.stderr.write(`bench: ${name}…\n`);
    try {
      rows.push(...[await benches[name]()].flat());
    } catch (error) {
      failed = true;
      process.stderr.write(`bench: ${name} failed: ${(error as Error).stack ?? error}\n`);
      await cleanEverything();
    }
    process.stderr.write(`bench: ${name} took ${Math.round((performance.now() - started) / 1000)} s\n`);
  }
  const record: RunRecord = {
    startedAt,
    durationMs: Date.now() - startedAt.getTime(),
    machine: describeMachine(),
    loadBefore,
    loadAfter: load(),
    rows,
    leftovers: await leftovers(),
    quick,
    selected: options.selected,
  };
  process.stdout.write(
    `${table(rows)}\n\nleft behind: ${record.leftovers.containers} containers, ${record.leftovers.keys} Redis keys\n`,
  );
  if (options.out && !failed) {
    writeReport(options.out, record);
    process.stderr.write(`bench: wrote ${options.out}\n`);
  } else if (options.out)
    process.stderr.write(`bench: a benchmark failed, so ${options.out} was not written\n`);
} finally {
  await cleanEverything();
  disconnect();
}
process.exitCode = failed ? 1 : 0;
