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
 * `ws` server. No target: these rows report.
 */
export async function benchFootprint(options: FootprintOptions): Promise<BenchRow[]> {
  const build = buildProduct();
  const scope = openScope();
  let product: Product | undefined;
  try {
    product = await startProduct(build.mainJs, scope);
    await sleep(options.settleMs);
    const idle = await steadyRss(product.pid);
    const perViewer = await viewerCost(product, options);
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
        target: 'report',
        verdict: 'info',
        note:
          `the product as committed at ${build.commit}, compiled and run as \`node main.js\` with Slack (HTTP) and Discord (gateway + HTTP ` +
          `interactions) against local fakes, real Redis and Docker; RSS (threads included) read from /proc, the median ` +
          `of 10 readings after ${options.settleMs / 1000} s; the baseline read the same way.`,
      },
      {
        name: `Footprint per log viewer (${options.viewers} connected)`,
        ours: `${kib(perViewer)} each`,
        baseline: `${kib(bareWs)} per connection (bare \`ws\` server)`,
        ratio: times(perViewer / bareWs),
        target: 'report',
        verdict: 'info',
        note:
          `growth of the idle product's RSS, with one lease running a container that prints a line a second, ` +
          `when ${options.viewers} viewers connect to its log stream (${CONNECT_BATCH} at a time), divided by ${options.viewers}; the baseline is ` +
          `the growth of a bare ws server that sends each connection one message.`,
      },
    ];
  } finally {
    await product?.stop().catch(() => {});
    await closeScope(scope);
    build.remove();
  }
}

/** What `viewers` WebSocket viewers of one lease add to the product's RSS, per viewer. */
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
  const logsUrl = `${product.url}${logs.pathname}${logs.search}`;
  await sleep(2_000);
  const before = await steadyRss(product.pid);
  const stops = await connect(
    Array.from({ length: options.viewers }, () => wsViewer(logsUrl, { skipped: 0 })),
  );
  await sleep(2_000);
  const after = await steadyRss(product.pid);
  for (const stop of stops) stop();
  await fetch(`${product.url}/api/containers/${lease.id}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${PRODUCT_API_TOKEN}` },
  });
  return (after - before) / options.viewers;
}

async function bareConnectionCost(options: FootprintOptions): Promise<number> {
  const bare = await startBare(BARE_SERVERS.ws);
  try {
    await sleep(2_000);
    const before = await steadyRss(bare.pid);
    const gaps: Gaps = { skipped: 0 };
    const url = `http://127.0.0.1:${bare.port}/`;
    const stops = await connect(Array.from({ length: options.viewers }, () => wsViewer(url, gaps)));
    await sleep(2_000);
    const after = await steadyRss(bare.pid);
    for (const stop of stops) stop();
    return (after - before) / options.viewers;
  } finally {
    await bare.stop();
  }
}

async function connect(readers: readonly Reader[]): Promise<Array<() => void>> {
  const stops: Array<() => void> = [];
  for (let at = 0; at < readers.length; at += CONNECT_BATCH) {
    stops.push(...(await Promise.all(readers.slice(at, at + CONNECT_BATCH).map((start) => start(() => {})))));
  }
  return stops;
}
