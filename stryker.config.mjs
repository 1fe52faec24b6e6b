// @ts-check
/**
 * Mutation testing (issue 17): Stryker changes the code one small way at a time and counts the
 * changes no test notices. `npm run mutation` (scripts/mutation.mjs) runs it one folder at a
 * time, so a run fits beside other work on a small machine, and writes docs/mutation.md.
 */

/**
 * The folders measured, each run on its own with its own incremental file. `tests` are the test
 * files that exercise the folder: its unit tests and the integration tests of the parts built on
 * it. Only these run in the folder's first, measuring run; the whole suite one test at a time
 * under `nice` takes over an hour on two shared cores. A killing test outside the list would be
 * missed, so a score can err low, never high; add a test file here when it tests the folder.
 * `break` is the score each reached when last raised (0: not measured yet): a run below it fails,
 * so it can only rise.
 * @type {Record<string, { mutate: string[], tests: string[], break: number }>}
 */
export const folders = {
  // Pure code: its unit tests, and the authenticator's, which verify its tokens. The web tests that
  // sign in through links start containers for each mutant and took an hour under load.
  'core/links': {
    mutate: ['src/core/links/**/*.ts'],
    tests: [
      'test/unit/core/links/**/*.test.ts',
      'test/unit/core/redact.test.ts',
      'test/unit/web/auth/**/*.test.ts',
      'test/unit/web/ports/**/*.test.ts',
    ],
    break: 99,
  },
  'web/auth': {
    mutate: ['src/web/auth/**/*.ts'],
    tests: ['test/unit/web/auth/**/*.test.ts', 'test/integration/web/auth-and-links.test.ts'],
    break: 99,
  },
  'bots/grammar': {
    mutate: ['src/bots/grammar/**/*.ts'],
    // Pure code: its own unit tests parse every command form (a run: 5 minutes under load). The
    // other bots' tests reach it too, and made a run take 40 minutes.
    tests: ['test/unit/bots/grammar/**/*.test.ts'],
    break: 100,
  },
  // Its unit tests over the doubles in test/doubles, and the dispatcher's on Redis. Left out: the
  // integration tests over Docker (lifecycle, reconciler-race, lease-service, pool-keeper, warm-pool,
  // the web's terminal, exec and port tests). With them, the first run of one file (retry.ts) took
  // 6 min 48 s over 181 tests, and its mutants then took about a minute each, each rerunning the
  // Docker tests that reach it: the folder's 1,553 mutants would take a day on two shared cores.
  // Without them the first run takes under a minute. warm-pool.ts and terminal-service.ts are
  // reached only by those tests, so they count as not covered here, and the score errs low;
  // pool-keeper.ts and admin-service.ts have unit tests of their own.
  'core/services': {
    mutate: ['src/core/services/**/*.ts'],
    tests: ['test/unit/core/services/**/*.test.ts', 'test/integration/notice-dispatcher.test.ts'],
    break: 97,
  },
  // Its TypeScript: the Lua scripts are held by the store contracts, which run them on Redis. The
  // tests that are about Redis: the contracts and the integration tests of each store, on Redis
  // alone. Every test that also starts containers (the lease service's, the warm pool's, the
  // reconciler race, lifecycle, isolation, terminals) is left out: each mutant they reach reruns
  // them, and with three of them in the list a run took an hour and more on two shared cores. Each
  // store now has tests of its own on Redis, which reach what those did.
  'core/adapters/redis': {
    mutate: ['src/core/adapters/redis/**/*.ts'],
    tests: [
      'test/unit/core/adapters/redis/**/*.test.ts',
      'test/contract/lease-store.test.ts',
      'test/contract/pool-store.test.ts',
      'test/integration/redis-*.test.ts',
      'test/integration/embedded-redis.test.ts',
      'test/integration/notice-dispatcher.test.ts',
      'test/integration/slack/outbox-delivery.test.ts',
      'test/integration/discord/notifier-outbox.test.ts',
    ],
    break: 93,
  },
};

/**
 * Survivors that change nothing a caller could see, on a line where a `// Stryker disable` comment
 * would also hide a mutant of the same mutator that a test kills. They still count as survived (the
 * score errs low); docs/mutation.md lists them with the reason instead of among the survivors left.
 * A line that moves no longer matches, and the mutant shows as a survivor again until checked.
 * @type {{ at: string, mutator: string, replacement: string, reason: string }[]}
 */
export const unmarkableEquivalents = [
  {
    at: 'src/web/auth/authenticator.ts:71:38',
    mutator: 'ConditionalExpression',
    replacement: 'true',
    reason:
      'a link cookie checked against no lease is refused as wrong_lease, so the session is tried either way; ' +
      'the `false` mutant on the same line is killed',
  },
  {
    at: 'src/core/services/lifecycle-service.ts:118:21',
    mutator: 'ConditionalExpression',
    replacement: 'true',
    reason: 'a `missing` decision carries no lease, and undefined is handled as null; `false` is killed',
  },
  {
    at: 'src/core/services/output-capture.ts:23:9',
    mutator: 'ConditionalExpression',
    replacement: 'false',
    reason: 'with no room the piece below is empty: returning only spares an empty buffer; `true` is killed',
  },
  {
    at: 'src/core/services/output-capture.ts:23:9',
    mutator: 'EqualityOperator',
    replacement: 'room < 0',
    reason: 'room is never below 0, and with none the piece below is empty; `room > 0` is killed',
  },
  {
    at: 'src/core/services/notice-dispatcher.ts:171:9',
    mutator: 'EqualityOperator',
    replacement: '(this.pausedUntil.get(platform) ?? 0) >= Date.now()',
    reason:
      'at the very millisecond a pause ends, going on or waiting one more are both right; `<=` is killed',
  },
  {
    at: 'src/core/services/notice-dispatcher.ts:175:11',
    mutator: 'ConditionalExpression',
    replacement: 'true',
    reason:
      'another error has no retryAfterMs, so the pause it would set is NaN, which never holds; `false` is killed',
  },
  {
    at: 'src/core/adapters/redis/redis-lease-store.ts:59:11',
    mutator: 'EqualityOperator',
    replacement: 'reply <= 0',
    reason: 'createLease replies 1 or a negative code, never 0; `reply >= 0` on the same line is killed',
  },
  {
    at: 'src/core/adapters/redis/redis-lease-store.ts:258:9',
    mutator: 'ConditionalExpression',
    replacement: 'false',
    reason:
      'the scripts reply with a record only after reading or writing its hash, so a lease is always there; `true` is killed',
  },
  {
    at: 'src/core/adapters/redis/embedded-redis.ts:114:12',
    mutator: 'ConditionalExpression',
    replacement: 'true',
    reason: 'a server answers PING with PONG or throws, so a reply is always PONG; `false` is killed',
  },
];

/** Where a run keeps its reports and incremental file: one place per folder, so runs of one never overwrite another's. */
export const reportDir = (run) => `reports/mutation/${run.replaceAll('/', '-')}`;

/** The folder scripts/mutation.mjs is running (MUTATION_RUN), or another named run (`one-off`). */
const run = process.env.MUTATION_RUN ?? 'all';
const folder = folders[run];
const tested = folders[process.env.MUTATION_TESTS_OF ?? run];
const out = reportDir(run);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  mutate: folder ? folder.mutate : Object.values(folders).flatMap((f) => f.mutate),
  // A one-off run (`--mutate <file>`) runs the tests of the file's folder (MUTATION_TESTS_OF), or
  // every test vitest.mutation.config.ts includes.
  ...(tested ? { testFiles: tested.tests } : {}),
  // Not copied into the sandbox: the build would run unmutated code (the tests that start it are
  // left out, vitest.mutation.config.ts says why), and the rest is output.
  ignorePatterns: ['dist', 'coverage', 'reports', 'docs/screenshots', 'test-results'],
  // Each mutant runs only the tests that reached it in the first, measuring run.
  coverageAnalysis: 'perTest',
  // A mutant in code that runs once, when a module loads, would need every test run again for
  // each such mutant: on integration tests over Docker, hours. Stryker counts them as ignored.
  ignoreStatic: true,
  // A rerun tests only what changed since the last (a local cache, not committed: development.md
  // says why).
  incremental: true,
  incrementalFile: `${out}/incremental.json`,
  // Two shared cores: one test runner beside Stryker itself. The tests wait on Docker and Redis
  // more than they compute, and a second runner would double the containers on the one engine.
  concurrency: 1,
  // Integration tests wait on real containers: a mutant that slows one down is not a hang.
  timeoutMS: 60_000,
  timeoutFactor: 2,
  // The first run measures coverage over every related test, one at a time, on a loaded machine.
  dryRunTimeoutMinutes: 60,
  reporters: ['json', 'html', 'clear-text', 'progress'],
  jsonReporter: { fileName: `${out}/mutation.json` },
  htmlReporter: { fileName: `${out}/mutation.html` },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  thresholds: { high: 80, low: 60, break: folder ? folder.break : null },
};
