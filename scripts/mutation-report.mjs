// Writes docs/mutation.md from Stryker's JSON reports (mutation-testing-report-schema), one per
// folder: the score per folder and per file, when each ran and for how long, the mutants marked
// equivalent in the code (a `// Stryker disable` comment with its reason) and the survivors left.
import { writeFileSync } from 'node:fs';

const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);
/** Stryker's own reason for a mutant in code that runs only as its module loads (`ignoreStatic`). */
const STATIC = /static/i;

/** Stryker's mutation score: detected over detected plus undetected; errors and ignored excluded. */
export function countMutants(mutants) {
  const count = (status) => mutants.filter((m) => m.status === status).length;
  const detected = mutants.filter((m) => DETECTED.has(m.status)).length;
  const undetected = mutants.filter((m) => UNDETECTED.has(m.status)).length;
  const ignored = mutants.filter((m) => m.status === 'Ignored');
  return {
    killed: count('Killed'),
    timeout: count('Timeout'),
    survived: count('Survived'),
    noCoverage: count('NoCoverage'),
    errors: count('RuntimeError') + count('CompileError'),
    equivalent: ignored.filter((m) => !STATIC.test(m.statusReason ?? '')).length,
    staticOnly: ignored.filter((m) => STATIC.test(m.statusReason ?? '')).length,
    score: detected + undetected === 0 ? null : (100 * detected) / (detected + undetected),
  };
}

const percent = (score) => (score === null ? 'n/a' : `${score.toFixed(1)} %`);
const minutes = (seconds) => `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
const where = (m) => `${m.location.start.line}:${m.location.start.column}`;
const code = (text) =>
  `\`${String(text).replaceAll('`', "'").replaceAll('|', '\\|').replace(/\s+/g, ' ').slice(0, 80)}\``;
/** The reason written in a `// Stryker disable` comment; Stryker's stand-in when it has none. */
const reasonOf = (m) => (m.statusReason === 'Ignored using a comment' ? 'no reason given' : m.statusReason);

function row(cells) {
  return `| ${cells.join(' | ')} |`;
}

/**
 * @param {string} path where to write
 * @param {{ name: string, report: any, run: { finishedAt: string, seconds: number } }[]} reports
 * @param {Record<string, { break: number }>} folders the configured folders, for their thresholds
 */
export function writeMutationReport(path, reports, folders) {
  const lines = [
    '# Mutation testing',
    '',
    'Written by `npm run mutation` (scripts/mutation.mjs; do not edit by hand). StrykerJS changes the',
    'code one small way at a time (a mutant) and reruns those of its folder’s tests that reach it (unit',
    'tests, and for the services and the Redis adapter the contract and integration tests on real Redis',
    'and Docker); a mutant no test notices has survived. The score is killed and timed-out mutants over',
    'those plus survivors and mutants no test reaches. Which tests measure each folder, and why, is in',
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
  const files = [];
  for (const { name, report, run } of reports) {
    const entries = Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b));
    const all = countMutants(entries.flatMap(([, file]) => file.mutants));
    lines.push(
      row([
        `src/${name}`,
        percent(all.score),
        `${folders[name]?.break ?? 'n/a'} %`,
        all.killed,
        all.timeout,
        all.survived,
        all.noCoverage,
        all.equivalent,
        run.finishedAt.slice(0, 16).replace('T', ' '),
        minutes(run.seconds),
      ]),
    );
    files.push(...entries);
  }
  const missing = Object.keys(folders).filter((name) => !reports.some((r) => r.name === name));
  if (missing.length > 0) lines.push('', `Not run yet: ${missing.map((name) => `src/${name}`).join(', ')}.`);

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
  );
  for (const [file, { mutants }] of files) {
    const c = countMutants(mutants);
    lines.push(
      row([
        file,
        percent(c.score),
        c.killed,
        c.timeout,
        c.survived,
        c.noCoverage,
        c.equivalent,
        c.staticOnly,
      ]),
    );
  }

  lines.push(
    '',
    '## Equivalent mutants',
    '',
    'Mutants that change no behaviour any caller could see, each marked where it is made with a',
    '`// Stryker disable next-line <mutator>: <reason>` comment; they do not count in the score.',
    '',
  );
  const equivalent = files.flatMap(([file, { mutants }]) =>
    mutants
      .filter((m) => m.status === 'Ignored' && !STATIC.test(m.statusReason ?? ''))
      .map((m) => ({ file, m })),
  );
  if (equivalent.length === 0) lines.push('None marked.');
  for (const { file, m } of equivalent)
    lines.push(`- ${file}:${where(m)} ${m.mutatorName} ${code(m.replacement ?? '')}: ${reasonOf(m)}`);

  lines.push(
    '',
    '## Survivors left',
    '',
    'Each is a change to the code that every test still passes with: a promise no test holds yet.',
    '',
  );
  const survivors = files.flatMap(([file, { mutants }]) =>
    mutants.filter((m) => UNDETECTED.has(m.status)).map((m) => ({ file, m })),
  );
  if (survivors.length === 0) lines.push('None.');
  for (const { file, m } of survivors) {
    const how = m.status === 'NoCoverage' ? 'no test reaches it' : 'survived';
    lines.push(`- ${file}:${where(m)} ${m.mutatorName} ${code(m.replacement ?? '')} (${how})`);
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}
