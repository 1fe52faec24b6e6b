import { readFileSync } from 'node:fs';
import { median } from './stats.js';

/** Resident memory of a process in bytes, from /proc (Linux), threads (the cleanup worker) included. */
export function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
  if (kib === undefined) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kib) * 1024;
}

/** The median of `samples` readings `everyMs` apart: one reading catches a GC or a worker in passing. */
export async function steadyRss(pid: number, samples = 10, everyMs = 300): Promise<number> {
  const readings: number[] = [];
  for (let i = 0; i < samples; i += 1) {
    readings.push(rssOf(pid));
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return median(readings);
}

export function mib(bytes: number): string {
  return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
}

export function kib(bytes: number): string {
  return `${Math.round(bytes / 1024)} KiB`;
}
