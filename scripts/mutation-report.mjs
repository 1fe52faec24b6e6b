// Turns a folder's Stryker JSON report (mutation-testing-report-schema) into the result committed
// beside docs/mutation.md, and writes docs/mutation.md from every folder's result: the score per
// folder and per file, when each ran and for how long, the mutants marked equivalent in the code (a
// `// Stryker disable` comment with its reason) and the survivors left.
import { writeFileSync } from 'node:fs';

const UNDETECTED = new Set(['Survived', 'NoCoverage']);
/** Stryker's own reason for a mutant in code that runs only as its module loads (`ignoreStatic`). */
const STATIC = /static/i;

/** How many mutants ended each way; `equivalent` are those marked in the code, `staticOnly` never ran. */
function countMutants(mutants) {
  const count = (status) => mutants.filter((m) => m.status === status).length;
  const ignored = mutants.filter((m) => m.status === 'Ignored');
  return {
    killed: count('Killed'),
    timeout: count('Timeout'),
    survived: count('Survived'),
    noCoverage: count('NoCoverage'),
    errors: count('RuntimeError') + count('CompileError'),
    equivalent: ignored.filter((m) => !STATIC.test(m.statusReason ?? '')).length,
    staticOnly: ignored.filter((m) => STATIC.test(m.statusReason ?? '')).length,
  };
}

/** Stryker's mutation score: detected over detected plus undetected; errors and ignored excluded. */
function scoreOf({ killed, timeout, survived, noCoverage }) {
  const detected = killed + timeout;
  const total = detected + survived + noCoverage;
  return total === 0 ? null : (100 * detected) / total;
}

/** The reason written in a `// Stryker disable` comment; Stryker's stand-in when it has none. */
const reasonOf = (m) => (m.statusReason === 'Ignored using a comment' ? 'no reason given' : m.statusReason);

/** A mutant as the report names it: where, which mutator, what it wrote. */
const described = (m) => ({
  at: `${m.location.start.line}:${m.location.start.column}`,
  mutator: m.mutatorName,
  replacement: String(m.replacement ?? '')
    .replace(/\s+/g, ' ')
    .slice(0, 80),
});

/**
 * A folder's run as committed (docs/mutation/<folder>.json): the counts per file and the mutants a
 * reader needs named, without the sources and test names of Stryker's report (hundreds of KiB, and
 * different every run), so docs/mutation.md can be written on any clone from every folder's last
 * run, whoever ran it.
 */
export function summarize(folder, report, run) {
  const files = Object.entries(report.files)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([file, { mutants }]) => ({
      file,
      ...countMutants(mutants),
      equivalentMutants: mutants
        .filter((m) => m.status === 'Ignored' && !STATIC.test(m.statusReason ?? ''))
        .map((m) => ({ ...described(m), reason: reasonOf(m) })),
      survivors: mutants
        .filter((m) => UNDETECTED.has(m.status))
        .map((m) => ({ ...described(m), status: m.status })),
    }));
  return { folder, finishedAt: run.finishedAt, seconds: run.seconds, files };
}

const percent = (score) => (score === null ? 'n/a' : `${score.toFixed(1)} %`);
const minutes = (seconds) => `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
const code = (text) => `\`${text.replaceAll('`', "'").replaceAll('|', '\\|')}\``;
const row = (cells) => `| ${cells.join(' | ')} |`;

/** The counts of several files added up. */
function total(files) {
  const keys = ['killed', 'timeout', 'survived', 'noCoverage', 'errors', 'equivalent', 'staticOnly'];
  return Object.fromEntries(keys.map((key) => [key, files.reduce((sum, file) => sum + file[key], 0)]));
}

/**
 * @param {string} path where to write
 * @param {ReturnType<typeof summarize>[]} results each folder's last run
 * @param {Record<string, { break: number }>} folders the configured folders, for their thresholds
 * @param {{ at: string, mutator: string, replacement: string, reason: string }[]} unmarkable
 *   survivors known equivalent that a disable comment cannot single out (stryker.config.mjs)
 */
export function writeMutationReport(path, results, folders, unmarkable = []) {
  const lines = [
    '# Mutation testing',
    '',
    'Written by `npm run mutation` (scripts/mutation.mjs; do not edit by hand) from each folder’s last',
    'run, kept in [mutation/](mutation/). StrykerJS changes the code one small way at a time (a mutant)',
    'and reruns those of its folder’s tests that reach it (unit tests, and for the services and the',
    'Redis adapter the contract and integration tests on real Redis and Docker); a mutant no test',
    'notices has survived. The score is killed and timed-out mutants over those plus survivors and',
    'mutants no test reaches. Which tests measure each folder, and why, is in',
    '[development.md](development.md#mutation-testing).',
    '',
    '## Score per folder',
    '',
    row([
      'Folder',
      'Score',
      'Break at',
      'Killed',
      'Timed out',
      'Survived',
      'No coverage',
      'Equivalent',
      'Run on',
      'Took',
    ]),
    row(Array(10).fill('---')),
  ];
  for (const result of results) {
    const all = total(result.files);
    lines.push(
      row([
        `src/${result.folder}`,
        percent(scoreOf(all)),
        `${folders[result.folder]?.break ?? 'n/a'} %`,
        all.killed,
        all.timeout,
        all.survived,
        all.noCoverage,
        all.equivalent,
        result.finishedAt.slice(0, 16).replace('T', ' '),
        minutes(result.seconds),
      ]),
    );
  }
  const missing = Object.keys(folders).filter((name) => !results.some((r) => r.folder === name));
  if (missing.length > 0) lines.push('', `Not run yet: ${missing.map((name) => `src/${name}`).join(', ')}.`);

  const files = results.flatMap((result) => result.files);
  lines.push(
    '',
    '## Score per file',
    '',
    row([
      'File',
      'Score',
      'Killed',
      'Timed out',
      'Survived',
      'No coverage',
      'Equivalent',
      'Static (not run)',
    ]),
    row(Array(8).fill('---')),
    ...files.map((f) =>
      row([
        f.file,
        percent(scoreOf(f)),
        f.killed,
        f.timeout,
        f.survived,
        f.noCoverage,
        f.equivalent,
        f.staticOnly,
      ]),
    ),
    '',
    '## Equivalent mutants',
    '',
    'Mutants that change no behaviour any caller could see, each marked where it is made with a',
    '`// Stryker disable next-line <mutator>: <reason>` comment; they do not count in the score.',
    '',
  );
  const equivalent = files.flatMap((f) =>
    f.equivalentMutants.map((m) => `- ${f.file}:${m.at} ${m.mutator} ${code(m.replacement)}: ${m.reason}`),
  );
  lines.push(...(equivalent.length > 0 ? equivalent : ['None marked.']));

  const reasonFor = (file, m) =>
    unmarkable.find(
      (known) =>
        m.status === 'Survived' &&
        known.at === `${file}:${m.at}` &&
        known.mutator === m.mutator &&
        known.replacement === m.replacement,
    )?.reason;
  const knownEquivalent = files.flatMap((f) =>
    f.survivors
      .filter((m) => reasonFor(f.file, m) !== undefined)
      .map((m) => `- ${f.file}:${m.at} ${m.mutator} ${code(m.replacement)}: ${reasonFor(f.file, m)}`),
  );
  if (knownEquivalent.length > 0) {
    lines.push(
      '',
      'Equivalent as well, but on a line where a disable comment would also hide a mutant of the same',
      'mutator that a test kills; they count as survived:',
      '',
      ...knownEquivalent,
    );
  }

  lines.push(
    '',
    '## Survivors left',
    '',
    'Each is a change to the code that every test still passes with: a promise no test holds yet.',
    '',
  );
  const survivors = files.flatMap((f) =>
    f.survivors
      .filter((m) => reasonFor(f.file, m) === undefined)
      .map((m) => {
        const how = m.status === 'NoCoverage' ? 'no test reaches it' : 'survived';
        return `- ${f.file}:${m.at} ${m.mutator} ${code(m.replacement)} (${how})`;
      }),
  );
  lines.push(...(survivors.length > 0 ? survivors : ['None.']));
  writeFileSync(path, `${lines.join('\n')}\n`);
}
