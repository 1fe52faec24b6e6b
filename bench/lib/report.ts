import { execFileSync } from 'node:child_process';
import { cpus, loadavg, release, totalmem } from 'node:os';

/** One line of the benchmark table: ours against a baseline measured in the same run. */
export interface BenchRow {
  readonly name: string;
  readonly ours: string;
  readonly baseline: string;
  /** ours / baseline, or a note where a ratio does not apply. */
  readonly ratio: string;
  readonly target: string;
  readonly verdict: 'met' | 'missed' | 'info';
  /** How it was measured, in numbers from this run. */
  readonly note?: string;
  /** Where the time goes, measured in this run; printed under "Targets missed" when the target is missed. */
  readonly analysis?: string;
}

function version(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8' }).trim().split('\n')[0] ?? 'unknown';
  } catch {
    return 'unavailable';
  }
}

export function describeMachine(): string[] {
  const cpu = cpus();
  return [
    `- CPU: ${cpu.length} × ${cpu[0]?.model ?? 'unknown'}`,
    `- Memory: ${Math.round(totalmem() / 1024 ** 3)} GiB`,
    `- Node.js ${process.version} on ${process.platform} ${process.arch}, kernel ${release()}`,
    `- Docker engine ${version('docker', ['version', '--format', '{{.Server.Version}}'])}`,
    `- ${version('redis-server', ['--version'])}`,
  ];
}

/** The 1-minute load average: the machine is shared, so the report says how busy it was. */
export function load(): string {
  return loadavg()[0]?.toFixed(2) ?? 'unknown';
}

/** The rows as a Markdown table, columns padded as Biome formats Markdown, then each row's note. */
export function table(rows: readonly BenchRow[]): string {
  const header = ['benchmark', 'ContainerLease', 'baseline (same run)', 'ratio', 'target', 'verdict'];
  const cells = rows.map((r) => [r.name, r.ours, r.baseline, r.ratio, r.target, r.verdict]);
  const widths = header.map((title, i) =>
    Math.max(title.length, 3, ...cells.map((row) => (row[i] ?? '').length)),
  );
  const line = (row: readonly string[]) =>
    `| ${row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  const lines = [line(header), line(widths.map((width) => '-'.repeat(width))), ...cells.map(line)];
  const notes = rows.filter((r) => r.note).map((r) => `- **${r.name}**: ${r.note}`);
  return [...lines, '', ...notes].join('\n');
}
