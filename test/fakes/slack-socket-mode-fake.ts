import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

export type EnvelopeType = 'slash_commands' | 'interactive';

/** What the app sent back for an envelope: `{envelope_id, payload}`. */
export interface SocketAck {
  readonly envelope_id: string;
  readonly payload?: Record<string, unknown>;
}

/**
 * Slack's Socket Mode server side: the app connects to `url` (handed out by apps.connections.open),
 * gets a `hello`, then envelopes; it must answer each with an ack carrying the envelope id.
 */
export class SlackSocketModeFake {
  readonly acks: SocketAck[] = [];
  private readonly pending = new Map<string, (ack: SocketAck) => void>();
  private socket: WebSocket | undefined;
  private connectedWaiters: Array<() => void> = [];
  connections = 0;

  private constructor(private readonly server: WebSocketServer) {
    server.on('connection', (socket) => {
      this.connections += 1;
      this.socket = socket;
      socket.on('message', (data) => this.onAck(JSON.parse(String(data)) as SocketAck));
      socket.send(
        JSON.stringify({
          type: 'hello',
          num_connections: 1,
          debug_info: { host: 'applink-fake', build_number: 1, approximate_connection_time: 18060 },
          connection_info: { app_id: 'A0LEASE' },
        }),
      );
      for (const wake of this.connectedWaiters.splice(0)) wake();
    });
  }

  static async start(): Promise<SlackSocketModeFake> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await once(server, 'listening');
    return new SlackSocketModeFake(server);
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}/link/?ticket=fake-ticket&app_id=A0LEASE`;
  }

  get isConnected(): boolean {
    return this.socket?.readyState === 1;
  }

  async connected(): Promise<void> {
    if (this.isConnected) return;
    await new Promise<void>((resolve) => this.connectedWaiters.push(resolve));
  }

  /** Resolves once the app has connected `count` times in all (reconnections included). */
  async connectedAgain(count: number): Promise<void> {
    while (this.connections < count || !this.isConnected) {
      await new Promise<void>((resolve) => this.connectedWaiters.push(resolve));
    }
  }

  /** Sends a frame as is, e.g. Slack's `{type: 'disconnect'}` before it recycles a connection. */
  sendRaw(frame: object): void {
    this.socket?.send(JSON.stringify(frame));
  }

  /** Sends an envelope; resolves with the app's ack and how long it took to arrive. */
  async send(type: EnvelopeType, payload: object): Promise<{ ack: SocketAck; ackMs: number }> {
    const socket = this.socket;
    if (!socket) throw new Error('no Socket Mode client is connected');
    const envelopeId = randomUUID();
    const started = performance.now();
    const acked = new Promise<SocketAck>((resolve) => this.pending.set(envelopeId, resolve));
    socket.send(
      JSON.stringify({
        envelope_id: envelopeId,
        payload,
        type,
        accepts_response_payload: type === 'slash_commands',
      }),
    );
    const ack = await acked;
    return { ack, ackMs: performance.now() - started };
  }

  async close(): Promise<void> {
    for (const client of this.server.clients) client.terminate();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private onAck(ack: SocketAck): void {
    this.acks.push(ack);
    this.pending.get(ack.envelope_id)?.(ack);
    this.pending.delete(ack.envelope_id);
  }
}
