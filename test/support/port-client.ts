import { request } from 'node:http';
import WebSocket from 'ws';

export interface RawReply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/**
 * One HTTP request to the port proxy through node:http, which, unlike fetch, sends the Host header
 * it is given (the PORTS_DOMAIN form routes on it). Redirects are not followed.
 */
export function proxyGet(
  url: string,
  options: { headers?: Record<string, string>; method?: string; body?: string } = {},
): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    // A fresh connection each time: a kept-alive one can meet the server's idle timeout mid-test.
    const req = request(
      url,
      { method: options.method ?? 'GET', headers: options.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** The `name=value` of the port cookie a link exchange set. */
export function portCookieFrom(reply: RawReply): string {
  const cookie = [reply.headers['set-cookie'] ?? []].flat().find((line) => line.startsWith('cl_port='));
  if (!cookie) throw new Error(`no port cookie in ${JSON.stringify(reply.headers)}`);
  return cookie.split(';')[0] ?? '';
}

/** A WebSocket through the proxy: opens and answers, or is refused with an HTTP status. */
export function openSocket(
  url: string,
  headers: Record<string, string>,
): Promise<{ socket: WebSocket } | { status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.once('open', () => resolve({ socket }));
    socket.once('unexpected-response', (_req, res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    socket.once('error', reject);
  });
}

/** The next message a socket receives, as text. */
export function nextMessage(socket: WebSocket): Promise<string> {
  return new Promise((resolve, reject) => {
    socket.once('message', (data) => resolve(String(data)));
    socket.once('close', () => reject(new Error('closed before a message came')));
  });
}
