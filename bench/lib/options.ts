/** The benchmarks `npm run bench` knows, in the order they run. */
export const BENCH_NAMES = [
  'provision',
  'pool',
  'slack',
  'cleanup',
  'claim',
  'fanout',
  'eventloop',
  'footprint',
  'terminal',
  'ports',
] as const;
export type BenchName = (typeof BENCH_NAMES)[number];

export interface RunOptions {
  readonly selected: readonly BenchName[];
  /** BENCH_QUICK=1 or --quick: fewer samples and smaller counts, to exercise the suite in a minute or two. */
  readonly quick: boolean;
  /** Where the report goes; undefined prints only (subset and quick runs unless --out is given). */
  readonly out: string | undefined;
}

export const DEFAULT_OUT = 'docs/benchmarks.md';

export const USAGE = `usage: npm run bench -- [${BENCH_NAMES.join('|')} …] [--quick] [--out <file>|--no-write]
  no names: all of them, and the report is written to ${DEFAULT_OUT}
  BENCH_QUICK=1 or --quick: short runs (printed only, unless --out is given)`;

/** Parses `npm run bench -- cleanup claim --quick`; throws the usage on anything unknown. */
export function parseRunOptions(argv: readonly string[], env: NodeJS.ProcessEnv): RunOptions {
  const names: BenchName[] = [];
  let quick = env.BENCH_QUICK === '1' || env.BENCH_QUICK === 'true';
  let out: string | null | undefined;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    if (arg === '--help' || arg === '-h')
      fail('npm run bench: ContainerLease against the bare tools it wraps');
    else if (arg === '--quick') quick = true;
    else if (arg === '--no-write') out = null;
    else if (arg === '--out') out = argv[++i] ?? fail('--out needs a file');
    else if (arg.startsWith('--out=')) out = arg.slice('--out='.length);
    else if ((BENCH_NAMES as readonly string[]).includes(arg)) names.push(arg as BenchName);
    else fail(`unknown argument ${arg}`);
  }
  const selected = names.length > 0 ? BENCH_NAMES.filter((name) => names.includes(name)) : [...BENCH_NAMES];
  const complete = names.length === 0 && !quick;
  return { selected, quick, out: out === null ? undefined : (out ?? (complete ? DEFAULT_OUT : undefined)) };
}

function fail(reason: string): never {
  throw new Error(`${reason}\n${USAGE}`);
}
