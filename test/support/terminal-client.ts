import WebSocket from 'ws';
import type { ServerControl } from '../../src/web/terminal/terminal-protocol.js';

/** What a terminal socket client received: the shell's bytes, the control messages, the close. */
export class TerminalClient {
  private readonly chunks: Buffer[] = [];
  readonly controls: ServerControl[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  constructor(readonly socket: WebSocket) {
    socket.on('message', (data: Buffer, binary) => {
      if (binary) this.chunks.push(data);
      else this.controls.push(JSON.parse(data.toString('utf8')) as ServerControl);
    });
    this.closed = new Promise((resolve) =>
      socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
  }

  /** Everything the shell printed so far, as text. */
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }

  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }

  type(text: string): void {
    this.socket.send(Buffer.from(text, 'utf8'), { binary: true });
  }

  resize(cols: unknown, rows: unknown): void {
    this.socket.send(JSON.stringify({ type: 'resize', cols, rows }), { binary: false });
  }

  close(): void {
    this.socket.close();
  }
}

export type TerminalUpgrade =
  | { readonly ok: true; readonly client: TerminalClient }
  | { readonly ok: false; readonly status: number; readonly body: string };

/** Opens `ws://…/terminal/<id>…`; resolves with the client, or with the status and body of a refused upgrade. */
export function openTerminal(
  baseUrl: string,
  pathAndQuery: string,
  options: { origin?: string; cookie?: string; token?: string; size?: { cols: number; rows: number } } = {},
): Promise<TerminalUpgrade> {
  const url = new URL(pathAndQuery, baseUrl.replace(/^http/, 'ws'));
  const headers: Record<string, string> = {};
  if (options.cookie) headers.cookie = options.cookie;
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const socket = new WebSocket(url, { headers, origin: options.origin });
  return new Promise((resolve, reject) => {
    const client = new TerminalClient(socket);
    socket.once('open', () => {
      if (options.size) client.resize(options.size.cols, options.size.rows);
      resolve({ ok: true, client });
    });
    socket.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      res.on('end', () => {
        resolve({ ok: false, status: res.statusCode ?? 0, body });
        socket.terminate();
      });
    });
    socket.once('error', (error) => reject(error));
  });
}
