import {
  type ServerControl,
  TERMINAL_CLOSE_CODES,
  TERMINAL_PASTE_CHUNK,
} from '../terminal/terminal-protocol.js';

export interface ShellSocketEvents {
  output(bytes: Uint8Array): void;
  control(message: ServerControl): void;
  /** `live`, or why it is not, for the status line. */
  status(text: string): void;
  closed(code: number, reason: string): void;
}

/**
 * The terminal socket of the page: opened with the page's cookies (the terminal link's, or the
 * session), the size first, then bytes both ways. It does not reconnect on its own: a new socket is
 * a new shell, which the reader asks for.
 */
export class ShellSocket {
  private socket: WebSocket | undefined;
  /** What was typed while the socket was still connecting: sent, after the size, once it opens. */
  private typedAhead: Uint8Array[] = [];

  constructor(
    private readonly leaseId: string,
    private readonly events: ShellSocketEvents,
  ) {}

  open(size: { cols: number; rows: number }): void {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const socket = new WebSocket(`${scheme}://${location.host}/terminal/${encodeURIComponent(this.leaseId)}`);
    socket.binaryType = 'arraybuffer';
    socket.addEventListener('open', () => {
      this.resize(size);
      for (const bytes of this.typedAhead.splice(0)) this.send(bytes);
      this.events.status('live');
    });
    socket.addEventListener('message', (event) => {
      if (event.data instanceof ArrayBuffer) this.events.output(new Uint8Array(event.data));
      else this.events.control(JSON.parse(String(event.data)) as ServerControl);
    });
    socket.addEventListener('close', (event) => {
      this.socket = undefined;
      this.typedAhead = [];
      this.events.closed(event.code, event.reason);
    });
    this.socket = socket;
  }

  /**
   * Typed bytes; a long paste goes in pieces, each well under the server's frame limit. Keys typed
   * before the socket opens (the page is ready before its shell is) wait for it, not lost.
   */
  send(bytes: Uint8Array): void {
    if (this.socket?.readyState === WebSocket.CONNECTING) {
      this.typedAhead.push(bytes);
      return;
    }
    if (this.socket?.readyState !== WebSocket.OPEN) return;
    for (let at = 0; at < bytes.length; at += TERMINAL_PASTE_CHUNK) {
      this.socket.send(bytes.subarray(at, at + TERMINAL_PASTE_CHUNK));
    }
  }

  resize(size: { cols: number; rows: number }): void {
    if (this.socket?.readyState !== WebSocket.OPEN) return;
    this.socket.send(JSON.stringify({ type: 'resize', cols: size.cols, rows: size.rows }));
  }

  close(): void {
    this.socket?.close(TERMINAL_CLOSE_CODES.shellExited);
  }
}
