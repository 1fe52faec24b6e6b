import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import WebSocket from 'ws';
import { connectDocker } from '../src/core/adapters/docker/docker-connection.js';
import { Child } from './lib/child.js';
import { closeScope, openScope } from './lib/janitor.js';
import { sleep } from './lib/log-readers.js';
import type { BenchRow } from './lib/report.js';
import { median, percentile, round, times } from './lib/stats.js';

const LATENCY_TARGET = 1.2;
const THROUGHPUT_TARGET = 0.8;
const FILE_BYTES = 50 * 1024 ** 2;
/** Typed text: `x` then DEL, so the line never grows; each key is echoed by the shell's line editor. */
const KEYS = [Buffer.from('x'), Buffer.from([0x7f])];
/** What the shell prints once the `cat` is done; typed as `CAT''DONE`, so its echo never matches. */
const DONE = 'CATDONE';

interface Lease {
  readonly id: string;
  readonly containerId: string;
  readonly terminalUrl: string;
}
type Reply = { type: 'ready'; url: string } | ({ type: 'lease' } & Lease) | { type: 'ended'; id: string };

/** A terminal, ours or bare: bytes in, output observed. */
interface Terminal {
  send(bytes: Buffer): void;
  /** Called with each chunk of output. */
  onOutput: (chunk: Buffer) => void;
  close(): Promise<void>;
}

/**
 * A shell in a container through the product's terminal socket (the real web server in a child
 * process, as a page would reach it), against a shell through a bare dockerode exec with a TTY
 * from this process, in the same run and the same container: the time from a key sent to its
 * echo received (p50, p99), and the bytes per second of a `cat` of a 50 MB file. Rounds alternate
 * between the two, so both meet the same load.
 */
export async function benchTerminal(keystrokes: number, cats: number): Promise<BenchRow[]> {
  const scope = openScope();
  const server = new Child<Reply>(new URL('./web-fanout-server.ts', import.meta.url), {
    BENCH_PREFIX: scope.prefix,
    BENCH_INSTANCE: scope.instanceId,
  });
  const { docker } = connectDocker(process.env.TEST_DOCKER_HOST);
  try {
    const { url } = await server.next('ready');
    server.send({ type: 'provision', imageType: 'quiet' });
    const lease = await server.next('lease');
    await writeFile(docker, lease.containerId);
    const open = {
      ours: () => oursTerminal(url, lease),
      bare: () => bareTerminal(docker, lease.containerId),
    };
    const echo = { ours: [] as number[], bare: [] as number[] };
    const rate = { ours: [] as number[], bare: [] as number[] };
    for (let round = 0; round < Math.max(2, cats); round += 1) {
      for (const side of round % 2 === 0 ? (['ours', 'bare'] as const) : (['bare', 'ours'] as const)) {
        const terminal = await open[side]();
        try {
          echo[side].push(...(await echoTimes(terminal, Math.ceil(keystrokes / Math.max(2, cats)))));
          if (round < cats) rate[side].push(await catRate(terminal));
        } finally {
          await terminal.close();
        }
      }
    }
    server.send({ type: 'end', id: lease.id });
    await server.next('ended');
    return [latencyRow(echo.ours, echo.bare), throughputRow(rate.ours, rate.bare)];
  } finally {
    await server.stop();
    await closeScope(scope);
  }
}

/** 50 MB of text lines (multi-byte characters included) in the container's /tmp. */
async function writeFile(docker: Docker, containerId: string): Promise<void> {
  const exec = await docker.getContainer(containerId).exec({
    Cmd: [
      'sh',
      '-c',
      `yes 'ünïcødé 0123456789 abcdefghijklmnopqrstuvwxyz ✓' | head -c ${FILE_BYTES} > /tmp/fifty`,
    ],
    AttachStdout: true,
    AttachStderr: true,
  });
  const stream = (await exec.start({ hijack: true, stdin: false })) as Duplex;
  stream.resume();
  await new Promise((resolve) => stream.once('close', resolve));
}

async function oursTerminal(baseUrl: string, lease: Lease): Promise<Terminal> {
  const token = new URL(lease.terminalUrl).searchParams.get('token') ?? '';
  const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/terminal/${lease.id}`, {
    headers: { cookie: `cl_terminal=${token}` },
    perMessageDeflate: false,
  });
  const terminal: Terminal = {
    send: (bytes) => socket.send(bytes, { binary: true }),
    onOutput: () => {},
    close: async () => {
      const closed = new Promise((resolve) => socket.once('close', resolve));
      socket.close();
      await closed;
    },
  };
  socket.on('message', (data: Buffer, binary) => {
    if (binary) terminal.onOutput(data);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  socket.send(JSON.stringify({ type: 'resize', cols: 120, rows: 40 }));
  await prompt(terminal);
  return terminal;
}

/** What the product wraps: an exec of the same shell with a TTY, hijacked, straight from dockerode. */
async function bareTerminal(docker: Docker, containerId: string): Promise<Terminal> {
  const exec = await docker.getContainer(containerId).exec({
    Cmd: ['sh', '-l'],
    Env: ['TERM=xterm-256color'],
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    Tty: true,
  });
  const stream = (await exec.start({ hijack: true, stdin: true, Tty: true })) as Duplex;
  await exec.resize({ h: 40, w: 120 });
  const terminal: Terminal = {
    send: (bytes) => stream.write(bytes),
    onOutput: () => {},
    close: async () => {
      stream.write('exit\r');
      await new Promise((resolve) => stream.once('close', resolve));
    },
  };
  stream.on('data', (chunk: Buffer) => terminal.onOutput(chunk));
  await prompt(terminal);
  return terminal;
}

/** Waits for the shell's first prompt. */
async function prompt(terminal: Terminal): Promise<void> {
  await new Promise<void>((resolve) => {
    let seen = '';
    terminal.onOutput = (chunk) => {
      seen += chunk.toString('latin1');
      if (seen.includes('# ')) resolve();
    };
  });
  await sleep(200);
}

/** Milliseconds from each key sent to the first output after it. */
async function echoTimes(terminal: Terminal, count: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const echoed = new Promise<void>((resolve) => {
      terminal.onOutput = () => resolve();
    });
    const sent = performance.now();
    terminal.send(KEYS[i % 2] as Buffer);
    await echoed;
    samples.push(performance.now() - sent);
    terminal.onOutput = () => {};
    // A person types a few keys a second; the echo under test is not a burst.
    await sleep(5);
  }
  return samples;
}

/** Bytes per second of `cat` of the 50 MB file, to the marker the shell prints after it. */
async function catRate(terminal: Terminal): Promise<number> {
  let bytes = 0;
  let tail = '';
  const done = new Promise<void>((resolve) => {
    terminal.onOutput = (chunk) => {
      bytes += chunk.length;
      tail = (tail + chunk.toString('latin1')).slice(-64);
      if (tail.includes(DONE)) resolve();
    };
  });
  const started = performance.now();
  terminal.send(Buffer.from("cat /tmp/fifty; echo CAT''DONE\r"));
  await done;
  const seconds = (performance.now() - started) / 1000;
  terminal.onOutput = () => {};
  if (bytes < FILE_BYTES) throw new Error(`the cat delivered ${bytes} bytes of ${FILE_BYTES}`);
  return bytes / seconds;
}

function latencyRow(ours: number[], bare: number[]): BenchRow {
  const p = (samples: number[], at: number) => round(percentile(samples, at), 2);
  const p50 = p(ours, 50) / p(bare, 50);
  const p99 = p(ours, 99) / p(bare, 99);
  return {
    name: 'Terminal keystroke to echo',
    ours: `p50 ${p(ours, 50)} ms, p99 ${p(ours, 99)} ms (the terminal socket)`,
    baseline: `p50 ${p(bare, 50)} ms, p99 ${p(bare, 99)} ms (a bare dockerode exec with a TTY, same container)`,
    ratio: `p50 ${times(p50)}, p99 ${times(p99)}`,
    target: `≤ ${LATENCY_TARGET}× (p50 and p99)`,
    verdict: p50 <= LATENCY_TARGET && p99 <= LATENCY_TARGET ? 'met' : 'missed',
    note:
      `${ours.length} keys each (x and DEL, 5 ms apart), alternating rounds; the socket adds a hop ` +
      `through the web server (in its own process) to the same exec the baseline opens directly.`,
    analysis: `Median echo ${p(ours, 50)} ms against ${p(bare, 50)} ms bare; the slowest 1% ${p(ours, 99)} ms against ${p(bare, 99)} ms.`,
  };
}

function throughputRow(ours: number[], bare: number[]): BenchRow {
  const mb = (rate: number) => `${round(rate / 1024 ** 2, 1)} MiB/s`;
  const ratio = median(ours) / median(bare);
  return {
    name: 'Terminal cat of 50 MB',
    ours: `${mb(median(ours))} (median of ${ours.length}; to the socket's client)`,
    baseline: `${mb(median(bare))} (median of ${bare.length}; a bare dockerode exec with a TTY)`,
    ratio: times(ratio),
    target: `≥ ${THROUGHPUT_TARGET}×`,
    verdict: ratio >= THROUGHPUT_TARGET ? 'met' : 'missed',
    note: `runs: ours ${ours.map(mb).join(', ')}; bare ${bare.map(mb).join(', ')}; both through the TTY (\\n as \\r\\n).`,
    analysis: `The terminal socket delivered ${times(ratio)} of a bare exec's bytes per second.`,
  };
}
