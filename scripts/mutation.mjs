#!/usr/bin/env node
// Mutation testing (issue 17): runs Stryker one folder at a time, at the lowest CPU priority so it
// can share a machine, keeps each folder's result in docs/mutation/<folder>.json, then writes
// docs/mutation.md from every folder's last result.
//   npm run mutation                                  every folder in turn (stryker.config.mjs)
//   npm run mutation -- core/links web/auth           only those folders; the report keeps the others
//   npm run mutation -- --mutate src/core/links/signed-links.ts   one file (any Stryker options):
//                                                     printed and in reports/mutation/one-off, not in docs
//   npm run mutation -- --report                      rewrite docs/mutation.md from the kept results
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { folders, reportDir, unmarkableEquivalents } from '../stryker.config.mjs';
import { summarize, writeMutationReport } from './mutation-report.mjs';

const stryker = 'node_modules/@stryker-mutator/core/bin/stryker.js';
/** Where each folder's last result is committed: the report is written from these on any clone. */
const resultOf = (folder) => `docs/mutation/${folder.replaceAll('/', '-')}.json`;

/** Runs Stryker as `run` names it; returns whether it passed (its break threshold included). */
function runStryker(run, extraArgs, testsOf = run) {
  const started = Date.now();
  // CI=true: a test whose Redis or Docker is missing fails instead of skipping, so a broken
  // machine cannot pass for surviving mutants.
  const result = spawnSync(
    'nice',
    ['-n', '19', process.execPath, stryker, 'run', 'stryker.config.mjs', ...extraArgs],
    {
      stdio: 'inherit',
      env: { ...process.env, MUTATION_RUN: run, MUTATION_TESTS_OF: testsOf, CI: 'true' },
    },
  );
  const dir = reportDir(run);
  // A run stopped before its report keeps the last report's date and duration beside it.
  if (!existsSync(`${dir}/mutation.json`) || statSync(`${dir}/mutation.json`).mtimeMs < started) {
    return false;
  }
  const finished = {
    finishedAt: new Date().toISOString(),
    seconds: Math.round((Date.now() - started) / 1000),
  };
  if (run in folders) {
    const report = JSON.parse(readFileSync(`${dir}/mutation.json`, 'utf8'));
    mkdirSync('docs/mutation', { recursive: true });
    writeFileSync(resultOf(run), `${JSON.stringify(summarize(run, report, finished), null, 1)}\n`);
  }
  return result.status === 0;
}

const args = process.argv.slice(2);
if (args[0]?.startsWith('--') && args[0] !== '--report') {
  // A file of one of the folders is tested by that folder's tests; another by all of them.
  const flag = args.findIndex((arg) => arg === '--mutate' || arg === '-m');
  const mutate =
    flag >= 0 ? (args[flag + 1] ?? '') : (args.find((arg) => arg.startsWith('--mutate='))?.slice(9) ?? '');
  const home = Object.keys(folders).find((name) => mutate.startsWith(`src/${name}/`));
  process.exit(runStryker('one-off', args, home) ? 0 : 1);
}

const chosen = args.filter((arg) => arg !== '--report');
const unknown = chosen.filter((name) => !(name in folders));
if (unknown.length > 0) {
  console.error(`No such folder: ${unknown.join(', ')}. The folders: ${Object.keys(folders).join(', ')}`);
  process.exit(2);
}
let passed = true;
if (!args.includes('--report')) {
  for (const name of chosen.length > 0 ? chosen : Object.keys(folders))
    passed = runStryker(name, []) && passed;
}

const results = Object.keys(folders)
  .filter((name) => existsSync(resultOf(name)))
  .map((name) => JSON.parse(readFileSync(resultOf(name), 'utf8')));
writeMutationReport('docs/mutation.md', results, folders, unmarkableEquivalents);
// Aligned as Biome aligns the other docs, so `npm test`'s format check passes on it.
spawnSync(
  process.execPath,
  ['node_modules/@biomejs/biome/bin/biome', 'format', '--write', 'docs/mutation.md', 'docs/mutation'],
  { stdio: 'inherit' },
);
process.exit(passed ? 0 : 1);
