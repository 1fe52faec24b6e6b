import { BARE_SERVERS, startBare } from './lib/bare-node.js';
import { closeScope, openScope } from './lib/janitor.js';
import { type Gaps, type Reader, sleep, wsViewer } from './lib/log-readers.js';
import { buildProduct } from './lib/product-build.js';
import { PRODUCT_API_TOKEN, type Product, startProduct } from './lib/product-process.js';
import type { BenchRow } from './lib/report.js';
import { kib, mib, steadyRss } from './lib/rss.js';
import { times } from './lib/stats.js';

/** Viewers connect `CONNECT_BATCH` at a time, so the reading shows what they keep, not a burst of handshakes. */
const CONNECT_BATCH = 25;

export interface FootprintOptions {
  readonly viewers: number;
  /** How long each process runs before its memory is read (the cleanup job's first run happens in it). */
  readonly settleMs: number;
}

/**
 * Resident memory of the built product (compiled from HEAD) idle with the web server,
 * the cleanup job and both chat bots started against local fakes, against `node -e` with Express
 * listening; and what each connected log viewer adds, against what each connection adds to a bare
 * `ws` server. The idle product with both bots has issue 15's target; the other rows report.
 */
/** Issue 15's goal for the idle product with both bots configured. */
const IDLE_TARGET_MIB = 120;

export async function benchFootprint(options: FootprintOptions): Promise<BenchRow[]> {
  const build = buildProduct();
  const scope = openScope();
  let product: Product | undefined;
  try {
    product = await startProduct(build.mainJs, scope, { nodeFlags: build.nodeFlags });
    await sleep(options.settleMs);
    const idle = await steadyRss(product.pid);
    const perViewer = await viewerCost(product, options);
    await product.stop();
    product = await startProduct(build.mainJs, scope, { chat: false, nodeFlags: build.nodeFlags });
    await sleep(options.settleMs);
    const idleWithoutChat = await steadyRss(product.pid);
    await product.stop();
    product = undefined;

    const express = await startBare(BARE_SERVERS.express);
    await sleep(options.settleMs);
    const bareIdle = await steadyRss(express.pid);
    await express.stop();
    const bareWs = await bareConnectionCost(options);
    return [
      {
        name: 'Footprint idle: web, cleanup job, Slack and Discord bots',
        ours: `${mib(idle)} RSS`,
        baseline: `${mib(bareIdle)} (\`node -e\` with Express listening)`,
        ratio: times(idle / bareIdle),
        target: `≤ ${IDLE_TARGET_MIB} MiB`,
        verdict: idle <= IDLE_TARGET_MIB * 1024 ** 2 ? 'met' : 'missed',
        note:
          `the product as committed at ${build.commit}, compiled and run as \`npm start\` runs it (\`node ${[...build.nodeFlags, 'main.js'].join(' ')}\`) with Slack (HTTP) and Discord (gateway + HTTP ` +
          `interactions) against local fakes, real Redis and Docker; RSS (threads included) read from /proc, the median ` +
          `of 10 readings after ${options.settleMs / 1000} s; the baseline read the same way.`,
      },
      {
        name: 'Footprint idle: web and cleanup job, no chat platform configured',
        ours: `${mib(idleWithoutChat)} RSS`,
        baseline: `${mib(bareIdle)} (\`node -e\` with Express listening)`,
        ratio: times(idleWithoutChat / bareIdle),
        target: 'report',
        verdict: 'info',
        note: 'the same build and readings with no Slack or Discord variables: neither library is loaded (docs/architecture.md, "A lighter process").',
      },
      {
        name: 'Footprint per connected log viewer',
        ours: `${kib(perViewer)} each`,
        baseline: `${kib(bareWs)} per connection (bare \`ws\` server)`,
        ratio: times(perViewer / bareWs),
        target: 'report',
        verdict: 'info',
        note:
          `growth of the product's RSS, with one lease running a container that prints a line a second, ` +
          `when ${options.viewers} more viewers connect to its log stream (${CONNECT_BATCH} at a time) after ${options.viewers} ` +
          `have connected as a warm-up, divided by ${options.viewers}; the baseline is measured the same way on a bare ws ` +
          `server that sends each connection one message.`,
      },
    ];
  } finally {
    await product?.stop().catch(() => {});
    await closeScope(scope);
    build.remove();
  }
}

/** What each of `viewers` more WebSocket viewers of one lease adds to the product's RSS. */
async function viewerCost(product: Product, options: FootprintOptions): Promise<number> {
  const response = await fetch(`${product.url}/api/provision`, {
    method: 'POST',
    headers: { authorization: `Bearer ${PRODUCT_API_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ imageType: 'busybox', durationMinutes: 30 }),
  });
  const lease = (await response.json()) as { id: string; logsUrl: string };
  if (response.status !== 201)
    throw new Error(`provision answered ${response.status}: ${JSON.stringify(lease)}`);
  const logs = new URL(lease.logsUrl);
  try {
    return await marginalCost(product.pid, `${product.url}${logs.pathname}${logs.search}`, options.viewers);
  } finally {
    await fetch(`${product.url}/api/containers/${lease.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${PRODUCT_API_TOKEN}` },
    });
  }
}

async function bareConnectionCost(options: FootprintOptions): Promise<number> {
  const bare = await startBare(BARE_SERVERS.ws);
  try {
    return await marginalCost(bare.pid, `http://127.0.0.1:${bare.port}/`, options.viewers);
  } finally {
    await bare.stop();
  }
}

/**
 * RSS growth per connection when `count` more connect, after `count` have connected as a warm-up:
 * the first thousand also pay for one-time costs (code compiled on first use, buffer pools).
 */
async function marginalCost(pid: number, url: string, count: number): Promise<number> {
  const gaps: Gaps = { skipped: 0 };
  const viewers = () => Array.from({ length: count }, () => wsViewer(url, gaps));
  const stops = await connect(viewers());
  try {
    await sleep(2_000);
    const before = await steadyRss(pid);
    stops.push(...(await connect(viewers())));
    await sleep(2_000);
    return ((await steadyRss(pid)) - before) / count;
  } finally {
    for (const stop of stops) stop();
  }
}

async function connect(readers: readonly Reader[]): Promise<Array<() => void>> {
  const stops: Array<() => void> = [];
  for (let at = 0; at < readers.length; at += CONNECT_BATCH) {
    stops.push(...(await Promise.all(readers.slice(at, at + CONNECT_BATCH).map((start) => start(() => {})))));
  }
  return stops;
}
