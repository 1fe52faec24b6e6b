import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

/** The IDENTIFY a client sent (op 2). */
export interface Identify {
  readonly token: string;
  readonly intents: number;
}

/**
 * Enough of Discord's gateway for discord.js to connect: HELLO with a heartbeat interval, IDENTIFY
 * answered with READY, heartbeats acknowledged, and `dispatch` to send any event (INTERACTION_CREATE).
 */
export class DiscordGatewayFake {
  readonly identified: Promise<Identify>;
  private resolveIdentify: (identify: Identify) => void = () => {};
  private readonly sockets = new Set<WebSocket>();
  private sequence = 0;

  private constructor(
    private readonly server: WebSocketServer,
    private readonly bot: { readonly applicationId: string; readonly userId: string },
  ) {
    this.identified = new Promise((resolve) => {
      this.resolveIdentify = resolve;
    });
    server.on('connection', (socket) => this.accept(socket));
  }

  static async start(bot: { applicationId: string; userId: string }): Promise<DiscordGatewayFake> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await once(server, 'listening');
    return new DiscordGatewayFake(server, bot);
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Sends a dispatch (op 0) to every connected client. */
  dispatch(event: string, data: unknown): void {
    this.sequence += 1;
    for (const socket of this.sockets)
      socket.send(JSON.stringify({ op: 0, t: event, s: this.sequence, d: data }));
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: WebSocket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.send(JSON.stringify({ op: 10, s: null, t: null, d: { heartbeat_interval: 41_250 } }));
    socket.on('message', (raw) => {
      const frame = JSON.parse(String(raw)) as { op: number; d: unknown };
      if (frame.op === 1) socket.send(JSON.stringify({ op: 11, s: null, t: null, d: null }));
      if (frame.op === 2) {
        this.resolveIdentify(frame.d as Identify);
        this.dispatch('READY', this.ready());
      }
    });
  }

  private ready(): object {
    return {
      v: 10,
      user: {
        id: this.bot.userId,
        username: 'ContainerLease',
        discriminator: '0',
        global_name: null,
        avatar: null,
        bot: true,
      },
      guilds: [],
      session_id: 'fake-session',
      resume_gateway_url: this.url,
      application: { id: this.bot.applicationId, flags: 0 },
    };
  }
}
