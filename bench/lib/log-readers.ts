import { Writable } from 'node:stream';
import type Docker from 'dockerode';
import WebSocket from 'ws';

/** Starts reading and calls `count` with each batch's lines; resolves to a function that stops it. */
export type Reader = (count: (lines: number) => void) => Promise<() => void>;

/** Lines per second of each reader over the same `seconds`, counted after `warmUpMs` of reading. */
export async function measure(
  readers: readonly Reader[],
  seconds: number,
  warmUpMs = 1000,
): Promise<number[]> {
  let counting = false;
  const lines = readers.map(() => 0);
  const stops = await Promise.all(
    readers.map((start, i) =>
      start((n) => {
        if (counting) lines[i] = (lines[i] ?? 0) + n;
      }),
    ),
  );
  await sleep(warmUpMs);
  counting = true;
  await sleep(seconds * 1000);
  counting = false;
  for (const stop of stops) stop();
  return lines.map((n) => n / seconds);
}

/** One bare `container.logs({follow: true})` through dockerode's demultiplexer: the ceiling of any reader. */
export function bareLogReader(docker: Docker, containerId: string): Reader {
  return async (count) => {
    const abort = new AbortController();
    const stream = await docker.getContainer(containerId).logs({
      follow: true,
      stdout: true,
      stderr: true,
      timestamps: true,
      tail: 0,
      abortSignal: abort.signal,
    });
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        count(occurrences(chunk, NEWLINE));
        done();
      },
    });
    docker.modem.demuxStream(stream, sink, sink);
    stream.on('error', () => {});
    return () => abort.abort();
  };
}

/** Lines that viewers lost to the server's backpressure, announced in `gap` messages. */
export interface Gaps {
  skipped: number;
}

/**
 * One WebSocket viewer of a lease's log link (no Origin, as a script connects); lines are counted
 * without parsing the JSON. Resolves once the socket is open.
 */
export function wsViewer(logsUrl: string, gaps: Gaps): Reader {
  return async (count) => {
    const socket = new WebSocket(logsUrl.replace(/^http/, 'ws'));
    socket.on('message', (data: Buffer) => {
      if (data[9] === 0x67 /* {"type":"gap" */)
        gaps.skipped += Number(/"skipped":(\d+)/.exec(String(data))?.[1]);
      else count(occurrences(data, STREAM_KEY));
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return () => socket.close();
  };
}

const NEWLINE = Buffer.from('\n');
const STREAM_KEY = Buffer.from('"stream":');

export function occurrences(buffer: Buffer, needle: Buffer): number {
  let found = 0;
  for (let at = buffer.indexOf(needle); at >= 0; at = buffer.indexOf(needle, at + needle.length)) found += 1;
  return found;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
