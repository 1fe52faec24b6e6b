import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { BENCH_NAMES } from './options.js';
import type { BenchRow } from './report.js';
import { table } from './report.js';

export interface RunRecord {
  readonly startedAt: Date;
  readonly durationMs: number;
  readonly machine: readonly string[];
  readonly loadBefore: string;
  readonly loadAfter: string;
  readonly rows: readonly BenchRow[];
  readonly leftovers: { readonly containers: number; readonly keys: number };
  readonly quick: boolean;
  readonly selected: readonly string[];
}

/** docs/benchmarks.md: the machine, the table, how each row was measured and what a missed target comes from. */
export function renderReport(run: RunRecord): string {
  const missed = run.rows.filter((row) => row.verdict === 'missed');
  return [
    '# Benchmarks',
    '',
    `Written by \`npm run bench${run.selected.length < BENCH_NAMES.length ? ` -- ${run.selected.join(' ')}` : ''}\`${run.quick ? ' (BENCH_QUICK: short runs, indicative only)' : ''} on ${run.startedAt.toISOString()}; the run took ${minutes(run.durationMs)}. Every number here was measured in that run, and every ratio divides ContainerLease's figure by a baseline measured beside it in the same run (alternating where the benchmark allows), so a busy machine slows both sides alike.`,
    '',
    '## Machine',
    '',
    ...run.machine,
    `- Load average (1 min) when the run began / ended: ${run.loadBefore} / ${run.loadAfter} (the machine is shared with other work)`,
    '',
    '## Results',
    '',
    'A time ratio above 1× means ContainerLease took longer than the bare tool; a throughput ratio below 1× means it delivered less. Rows marked `info` have no target and report.',
    '',
    table(run.rows),
    '',
    '## Targets missed',
    '',
    ...(missed.length === 0
      ? ['None in this run.']
      : missed.flatMap((row) => [`### ${row.name}`, '', row.analysis ?? 'No breakdown was measured.', ''])),
    '',
    '## What the measurements changed',
    '',
    "- Full times in replies keep one `Intl.DateTimeFormat` per zone (`src/bots/replies/plain-text.ts`): building one per reply was the largest cost of our own code in the Slack server's CPU profile (`BENCH_PROFILE=<dir> npm run bench -- slack`).",
    '- A slow Slack command (`provision`, `stop`) starts its work one turn of the event loop after its ack (`src/bots/slack/listeners/command-listener.ts`), so the acks of commands that arrive together go out before their work starts.',
    '- The Slack benchmark sends with `node:http` rather than `fetch`, whose own CPU on the sending side hid part of the difference, and reports medians over rounds, since one p99 over a whole run swung with whatever else the machine was doing; the cleanup benchmark alternates several runs per side for the same reason.',
    "- The footprint per viewer is measured on a second batch of viewers: the first batch also pays one-time costs (code compiled on first use, buffer pools) that are not a viewer's.",
    "- A log stream's batch holds at most 64 KiB of text and the stream waits a turn after each full one; the backlog keeps at most 256 KiB of text and the final logs at most 512 KiB; Docker's 16 KiB messages are decoded a line's length at a time (`src/web/logs/log-channel.ts`, `backlog.ts`, `src/core/services/final-logs-capture.ts`, `src/core/adapters/docker/log-frames.ts`). In the event-loop benchmark (`BENCH_PROFILE=<dir> npm run bench -- eventloop`, and a probe timing each turn of the server's loop in wall and CPU time), 2 MiB frames and cut lines keeping their whole 16 KiB message alive in a 4 MiB backlog made turns of up to 21 ms of CPU and a heap past 100 MB during the flood; after, the longest turn took under 10 ms of CPU and the heap stayed under 50 MB. Writing 4 MiB of final logs had made one turn of 59–70 ms of CPU during the stop.",
    '',
    '## Clean-up',
    '',
    `After the run, ${run.leftovers.containers} containers and ${run.leftovers.keys} Redis keys of the benchmarks' scopes were left (each benchmark removes its own, also when it fails or the run is interrupted).`,
    '',
    '## Running it',
    '',
    '```sh',
    'npm run bench                          # everything; writes this file',
    'npm run bench -- cleanup claim         # a subset, printed only',
    'BENCH_QUICK=1 npm run bench            # short runs of everything, printed only',
    'npm run bench -- fanout --out /tmp/b.md   # a subset, written where you say',
    '```',
    '',
    'It needs Redis on `TEST_REDIS_URL` (default `redis://127.0.0.1:6379`) and a Docker engine (`TEST_DOCKER_HOST`, default the local socket) holding `TEST_IMAGE` (default `local/busybox:latest`). The footprint benchmark compiles the product as committed at `HEAD` into a temporary directory and runs that, leaving `dist/` alone.',
    '',
  ].join('\n');
}

export function writeReport(path: string, run: RunRecord): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, renderReport(run));
}

export function minutes(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}
