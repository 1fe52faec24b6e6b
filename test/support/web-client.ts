import WebSocket from 'ws';
import type { ServerMessage, WireLine } from '../../src/web/logs/log-protocol.js';

export interface CallOptions {
  readonly token?: string;
  readonly cookie?: string;
  /** Sent as JSON unless `raw` is given. */
  readonly body?: unknown;
  readonly raw?: string;
  readonly headers?: Record<string, string>;
}

export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  /** Parsed JSON, or the text when the reply is not JSON. */
  readonly body: unknown;
}

/** One HTTP request to the server, without following redirects. */
export async function call(
  baseUrl: string,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.cookie) headers.cookie = options.cookie;
  let body: string | undefined = options.raw;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(new URL(path, baseUrl), { method, headers, body, redirect: 'manual' });
  const text = await response.text();
  const isJson = response.headers.get('content-type')?.includes('json') && text !== '';
  return { status: response.status, headers: response.headers, body: isJson ? JSON.parse(text) : text };
}

/** The `error` of a `{"error":{"code","message"}}` reply. */
export function errorOf(reply: Reply): { code: string; message: string } {
  return (reply.body as { error: { code: string; message: string } }).error;
}

/** `name=value` pairs of the Set-Cookie headers of a reply, ready for a Cookie header. */
export function cookiesOf(reply: Reply): string {
  return reply.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ');
}

/** What one WebSocket viewer received. */
export class LogClient {
  readonly lines: WireLine[] = [];
  readonly gaps: number[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as ServerMessage;
      if (message.type === 'lines') this.lines.push(...message.lines);
      else this.gaps.push(message.skipped);
    });
    this.closed = new Promise((resolve) =>
      socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
  }

  texts(): string[] {
    return this.lines.map((line) => line.text);
  }

  close(): void {
    this.socket.close();
  }
}

/** A WebSocket upgrade: accepted with its client, or refused with the HTTP status and body. */
export type SocketUpgrade<C> =
  | { readonly ok: true; readonly client: C }
  | { readonly ok: false; readonly status: number; readonly body: string };

export type Upgrade = SocketUpgrade<LogClient>;

export interface SocketOptions {
  readonly origin?: string;
  readonly cookie?: string;
  /** An API token, sent as `Authorization: Bearer`. */
  readonly token?: string;
}

/** Opens `ws(s)://…<pathAndQuery>` and wraps the accepted socket in a client (which listens from the first frame). */
export function openSocket<C>(
  baseUrl: string,
  pathAndQuery: string,
  options: SocketOptions,
  wrap: (socket: WebSocket) => C,
): Promise<SocketUpgrade<C>> {
  const url = new URL(pathAndQuery, baseUrl.replace(/^http/, 'ws'));
  const headers: Record<string, string> = {};
  if (options.cookie) headers.cookie = options.cookie;
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const socket = new WebSocket(url, { headers, origin: options.origin });
  return new Promise((resolve, reject) => {
    const client = wrap(socket);
    socket.once('open', () => resolve({ ok: true, client }));
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

/** Opens `ws(s)://…/logs/<id>`; resolves with the client, or with the HTTP status of a refused upgrade. */
export function openLogs(
  baseUrl: string,
  pathAndQuery: string,
  options: SocketOptions = {},
): Promise<Upgrade> {
  return openSocket(baseUrl, pathAndQuery, options, (socket) => new LogClient(socket));
}
