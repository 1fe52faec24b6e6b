import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** The text of a WebSocket upgrade request. */
function upgradeRequest(baseUrl: string, path: string, headers: Record<string, string>): string {
  const { host } = new URL(baseUrl);
  const extra = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  return (
    `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
    `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n${extra}\r\n`
  );
}

async function connectTo(baseUrl: string): Promise<Socket> {
  const { hostname, port } = new URL(baseUrl);
  const socket = connect(Number(port), hostname);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return socket;
}

/**
 * A WebSocket handshake over a bare TCP socket, for viewers that misbehave on purpose: after the
 * 101 the socket is paused, so it reads nothing (its TCP window closes) and answers no ping.
 */
export async function stalledViewer(
  baseUrl: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<Socket> {
  const socket = await connectTo(baseUrl);
  socket.write(upgradeRequest(baseUrl, path, headers));
  const head = await new Promise<string>((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString('latin1');
      if (!text.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      socket.pause();
      resolve(text);
    };
    socket.on('data', onData);
    socket.once('error', reject);
  });
  if (!head.startsWith('HTTP/1.1 101')) throw new Error(`upgrade refused: ${head.split('\r\n')[0]}`);
  socket.on('error', () => {});
  return socket;
}

export interface RawOpenOptions {
  readonly headers?: Record<string, string>;
  /** Bytes sent in the same write as the request: frames that arrive before the server answered. */
  readonly pipelined?: Buffer;
  /** Sends the request this many bytes at a time, `everyMs` apart: a slow client. */
  readonly trickle?: { readonly bytes: number; readonly everyMs: number };
  /** Sends all of the request but its final blank line, and never that. */
  readonly unfinished?: boolean;
}

/**
 * A WebSocket client over a bare TCP socket that writes whatever bytes it is given, so malformed
 * framing is really sent, and reads the server's frames to see its close code.
 */
export class RawWebSocket {
  private data = Buffer.alloc(0);
  private ended = false;
  readonly closed: Promise<void>;

  private constructor(readonly socket: Socket) {
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => {
      this.data = Buffer.concat([this.data, chunk]);
    });
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
  }

  /** Connects and writes the upgrade request as asked; resolves once connected (not answered). */
  static async connect(baseUrl: string, path: string, options: RawOpenOptions = {}): Promise<RawWebSocket> {
    const client = new RawWebSocket(await connectTo(baseUrl));
    const request = Buffer.from(upgradeRequest(baseUrl, path, options.headers ?? {}), 'latin1');
    const sent = options.unfinished ? request.subarray(0, request.length - 2) : request;
    const whole = options.pipelined ? Buffer.concat([sent, options.pipelined]) : sent;
    if (!options.trickle) client.socket.write(whole);
    else {
      for (
        let offset = 0;
        offset < whole.length && !client.socket.destroyed;
        offset += options.trickle.bytes
      ) {
        client.socket.write(whole.subarray(offset, offset + options.trickle.bytes));
        await sleep(options.trickle.everyMs);
      }
    }
    return client;
  }

  /** Connects and waits for the answer to the upgrade; its HTTP status. */
  static async open(baseUrl: string, path: string, options: RawOpenOptions = {}): Promise<RawWebSocket> {
    const client = await RawWebSocket.connect(baseUrl, path, options);
    await client.until(() => client.status !== undefined, 10_000);
    return client;
  }

  /** The status of the server's answer, once its head has arrived. */
  get status(): number | undefined {
    const end = this.data.indexOf('\r\n\r\n');
    if (end === -1) return undefined;
    return Number(/^HTTP\/1\.1 (\d{3})/.exec(this.data.subarray(0, end).toString('latin1'))?.[1] ?? 0);
  }

  /** The code of the server's close frame, once it has arrived. */
  get closeCode(): number | undefined {
    const head = this.data.indexOf('\r\n\r\n');
    return head === -1 ? undefined : closeCodeIn(this.data.subarray(head + 4));
  }

  get isClosed(): boolean {
    return this.socket.destroyed || this.socket.readableEnded;
  }

  send(bytes: Buffer, end = false): void {
    if (this.socket.destroyed || this.ended) return;
    this.socket.write(bytes);
    if (end) {
      this.ended = true;
      this.socket.end();
    }
  }

  /** Waits until `check` holds or the connection closes, at most `ms`; true when `check` held. */
  async until(check: () => boolean, ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (!check() && !this.socket.destroyed && Date.now() < deadline) await sleep(5);
    return check();
  }

  destroy(): void {
    this.socket.destroy();
  }

  /** Ends the connection with a TCP reset instead of a FIN. */
  reset(): void {
    this.socket.resetAndDestroy();
  }
}

/** The status code of the first close frame among server (unmasked) frames, if one is complete. */
function closeCodeIn(frames: Buffer): number | undefined {
  let offset = 0;
  while (offset + 2 <= frames.length) {
    const opcode = (frames[offset] ?? 0) & 0x0f;
    let length = (frames[offset + 1] ?? 0) & 0x7f;
    let start = offset + 2;
    if (length === 126) {
      if (start + 2 > frames.length) return undefined;
      length = frames.readUInt16BE(start);
      start += 2;
    } else if (length === 127) {
      if (start + 8 > frames.length) return undefined;
      length = Number(frames.readBigUInt64BE(start));
      start += 8;
    }
    if (start + length > frames.length) return undefined;
    if (opcode === 8) return length >= 2 ? frames.readUInt16BE(start) : 1005;
    offset = start + length;
  }
  return undefined;
}
