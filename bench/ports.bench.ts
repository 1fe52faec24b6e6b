import { request } from 'node:http';
import { Pool } from 'undici';
import { Child } from './lib/child.js';
import { closeScope, openScope } from './lib/janitor.js';
import type { BenchRow } from './lib/report.js';
import { percentile, round, times } from './lib/stats.js';

const THROUGHPUT_TARGET = 0.8;
const P99_TARGET = 1.3;
/** Requests in flight at once, from as many connections. */
const CONCURRENCY = 8;

type Reply = { type: 'ready'; link: string; direct: string };

interface Window {
  readonly requests: number;
  readonly seconds: number;
  readonly latenciesMs: number[];
}

/**
 * Requests per second and p99 latency for a 1 KiB page from busybox httpd in a lease, through the
 * port proxy (in a child process, so its CPU is its own) beside the same requests straight to the
 * container's address, in alternating windows of the same run.
 */
export async function benchPorts(rounds: number, secondsPerWindow: number): Promise<BenchRow> {
  const scope = openScope();
  const server = new Child<Reply>(new URL('./ports-proxy-server.ts', import.meta.url), {
    BENCH_PREFIX: scope.prefix,
    BENCH_INSTANCE: scope.instanceId,
  });
  try {
    const { link, direct } = await server.next('ready');
    const cookie = await followLink(link);
    const proxied = new URL(link);
    const proxyOrigin = proxied.origin;
    const proxyPath = proxied.pathname;
    const through: Window[] = [];
    const straight: Window[] = [];
    await untilServing(direct);
    await load(direct, '/', {}, 1); // warm-up, both ways
    await load(proxyOrigin, proxyPath, { cookie }, 1);
    for (let round = 0; round < rounds; round += 1) {
      straight.push(await load(direct, '/', {}, secondsPerWindow));
      through.push(await load(proxyOrigin, proxyPath, { cookie }, secondsPerWindow));
    }
    return row(summary(through), summary(straight), rounds, secondsPerWindow);
  } finally {
    await server.stop();
    await closeScope(scope);
  }
}

function followLink(link: string): Promise<string> {
  return new Promise((resolve, reject) => {
    request(link, { agent: false }, (res) => {
      res.resume();
      const cookie = [res.headers['set-cookie'] ?? []].flat()[0]?.split(';')[0];
      if (res.statusCode === 303 && cookie) resolve(cookie);
      else reject(new Error(`the port link answered ${res.statusCode}`));
    })
      .on('error', reject)
      .end();
  });
}

/** httpd starts with the container; the lease is active a moment before it listens. */
async function untilServing(origin: string): Promise<void> {
  for (let tries = 0; ; tries += 1) {
    try {
      const response = await fetch(origin);
      await response.arrayBuffer();
      if (response.ok) return;
    } catch (error) {
      if (tries >= 100) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** CONCURRENCY closed loops of GETs for `seconds`; every answer must be a 200. */
async function load(
  origin: string,
  path: string,
  headers: Record<string, string>,
  seconds: number,
): Promise<Window> {
  const pool = new Pool(origin, { connections: CONCURRENCY });
  const latenciesMs: number[] = [];
  const started = performance.now();
  const until = started + seconds * 1000;
  const loop = async () => {
    while (performance.now() < until) {
      const sent = performance.now();
      const answer = await pool.request({ method: 'GET', path, headers });
      await answer.body.text();
      if (answer.statusCode !== 200) throw new Error(`${origin}${path} answered ${answer.statusCode}`);
      latenciesMs.push(performance.now() - sent);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, loop));
  const elapsed = (performance.now() - started) / 1000;
  await pool.close();
  return { requests: latenciesMs.length, seconds: elapsed, latenciesMs };
}

function summary(windows: readonly Window[]) {
  const requests = windows.reduce((sum, window) => sum + window.requests, 0);
  const seconds = windows.reduce((sum, window) => sum + window.seconds, 0);
  const latencies = windows.flatMap((window) => window.latenciesMs);
  return {
    rps: requests / seconds,
    p99: percentile(latencies, 99),
    p50: percentile(latencies, 50),
    requests,
  };
}

function row(
  proxy: ReturnType<typeof summary>,
  direct: ReturnType<typeof summary>,
  rounds: number,
  seconds: number,
): BenchRow {
  const throughput = proxy.rps / direct.rps;
  const tail = proxy.p99 / direct.p99;
  const met = throughput >= THROUGHPUT_TARGET && tail <= P99_TARGET;
  return {
    name: 'Port proxy, 1 KiB page from busybox httpd',
    ours: `${Math.round(proxy.rps).toLocaleString('en')} req/s, p99 ${round(proxy.p99, 2)} ms`,
    baseline: `${Math.round(direct.rps).toLocaleString('en')} req/s, p99 ${round(direct.p99, 2)} ms (straight to the container's address, same run)`,
    ratio: `${times(throughput)} req/s, ${times(tail)} p99`,
    target: `≥ ${THROUGHPUT_TARGET}× req/s, p99 ≤ ${P99_TARGET}×`,
    verdict: met ? 'met' : 'missed',
    note:
      `${rounds} alternating windows of ${seconds} s each way, ${CONCURRENCY} requests in flight; ` +
      `${proxy.requests.toLocaleString('en')} requests through the proxy (p50 ${round(proxy.p50, 2)} ms), ` +
      `${direct.requests.toLocaleString('en')} straight (p50 ${round(direct.p50, 2)} ms). Every request through the proxy is authenticated by its cookie and its lease read from Redis.`,
    analysis:
      `Through the proxy a request costs a cookie check, a Redis read of the lease and a second HTTP hop; ` +
      `p50 ${round(proxy.p50, 2)} ms against ${round(direct.p50, 2)} ms straight.`,
  };
}
