import type WebSocket from 'ws';
import type { ServerControl } from '../../src/web/terminal/terminal-protocol.js';
import { openSocket, type SocketOptions, type SocketUpgrade } from './web-client.js';

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

export type TerminalUpgrade = SocketUpgrade<TerminalClient>;

/**
 * Opens `ws://…/terminal/<id>…`; resolves with the client (which has sent `size` as its first frame,
 * when given), or with the status and body of a refused upgrade.
 */
export async function openTerminal(
  baseUrl: string,
  pathAndQuery: string,
  options: SocketOptions & { size?: { cols: number; rows: number } } = {},
): Promise<TerminalUpgrade> {
  const upgrade = await openSocket(baseUrl, pathAndQuery, options, (socket) => new TerminalClient(socket));
  if (upgrade.ok && options.size) upgrade.client.resize(options.size.cols, options.size.rows);
  return upgrade;
}
