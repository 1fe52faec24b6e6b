import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { DISCORD_TOKEN } from './discord-payloads.js';

/** The IDENTIFY a client sent (op 2). */
export interface Identify {
  readonly token: string;
  readonly intents: number;
}

/** The RESUME a client sent (op 6): the session it asks back, from the last sequence it saw. */
export interface Resume {
  readonly token: string;
  readonly session_id: string;
  readonly seq: number | null;
}

/** What the fake gateway plays: the bot it answers for, and Discord's rules it enforces. */
export interface GatewayFakeOptions {
  readonly applicationId: string;
  readonly userId: string;
  /** The only token IDENTIFY may carry. @defaultValue DISCORD_TOKEN */
  readonly token?: string;
  /** The heartbeat interval HELLO announces. @defaultValue 41250, Discord's */
  readonly heartbeatIntervalMs?: number;
}

/** Discord's close codes for the two rules the fake enforces. */
export const CLOSE_AUTHENTICATION_FAILED = 4004;
export const CLOSE_SESSION_TIMED_OUT = 4009;

/** The session READY gives, the one RESUME may ask back. */
export const SESSION_ID = 'fake-session';

/**
 * Enough of Discord's gateway for @discordjs/ws to connect: HELLO with a heartbeat interval, IDENTIFY
 * answered with READY, RESUME of its one session answered with RESUMED, heartbeats acknowledged,
 * `dispatch` to send any event (INTERACTION_CREATE) and `disconnect` to close every connection.
 * As Discord does, it closes with 4004 an IDENTIFY whose token is wrong, and with 4009 a connection
 * that stops heartbeating (none within one and a half intervals: the first is due after a random
 * part of one, later ones one interval apart).
 */
export class DiscordGatewayFake {
  readonly identified: Promise<Identify>;
  /** Heartbeats (op 1) received, over every connection. */
  heartbeats = 0;
  /** IDENTIFYs (op 2) with the right token, over every connection. */
  identifies = 0;
  /** RESUMEs (op 6) received, over every connection. */
  readonly resumes: Resume[] = [];
  /** Connections opened, over the fake's life. */
  connections = 0;
  private resolveIdentify: (identify: Identify) => void = () => {};
  private readonly sockets = new Set<WebSocket>();
  private sequence = 0;
  private readonly token: string;
  private readonly heartbeatIntervalMs: number;

  private constructor(
    private readonly server: WebSocketServer,
    private readonly bot: GatewayFakeOptions,
  ) {
    this.token = bot.token ?? DISCORD_TOKEN;
    this.heartbeatIntervalMs = bot.heartbeatIntervalMs ?? 41_250;
    this.identified = new Promise((resolve) => {
      this.resolveIdentify = resolve;
    });
    server.on('connection', (socket) => this.accept(socket));
  }

  static async start(bot: GatewayFakeOptions): Promise<DiscordGatewayFake> {
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

  /** Closes every connection with `code`, as Discord does when it drops or refuses a session. */
  disconnect(code: number): void {
    for (const socket of this.sockets) socket.close(code);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: WebSocket): void {
    this.sockets.add(socket);
    this.connections += 1;
    let silence = this.heartbeatDeadline(socket);
    socket.on('close', () => {
      clearTimeout(silence);
      this.sockets.delete(socket);
    });
    socket.send(
      JSON.stringify({ op: 10, s: null, t: null, d: { heartbeat_interval: this.heartbeatIntervalMs } }),
    );
    socket.on('message', (raw) => {
      const frame = JSON.parse(String(raw)) as { op: number; d: unknown };
      if (frame.op === 1) {
        this.heartbeats += 1;
        clearTimeout(silence);
        silence = this.heartbeatDeadline(socket);
        socket.send(JSON.stringify({ op: 11, s: null, t: null, d: null }));
      }
      if (frame.op === 2) this.identify(socket, frame.d as Identify);
      if (frame.op === 6) this.resume(socket, frame.d as Resume);
    });
  }

  private identify(socket: WebSocket, identify: Identify): void {
    if (identify.token !== this.token) {
      socket.close(CLOSE_AUTHENTICATION_FAILED, 'Authentication failed.');
      return;
    }
    this.identifies += 1;
    this.resolveIdentify(identify);
    this.dispatch('READY', this.ready());
  }

  /** Its one session resumes; any other is invalid and not resumable (op 9, false), as Discord answers. */
  private resume(socket: WebSocket, resume: Resume): void {
    this.resumes.push(resume);
    if (resume.token !== this.token || resume.session_id !== SESSION_ID) {
      socket.send(JSON.stringify({ op: 9, s: null, t: null, d: false }));
      return;
    }
    this.dispatch('RESUMED', null);
  }

  private heartbeatDeadline(socket: WebSocket): NodeJS.Timeout {
    const timer = setTimeout(
      () => socket.close(CLOSE_SESSION_TIMED_OUT, 'Session timed out.'),
      this.heartbeatIntervalMs * 1.5,
    );
    return timer.unref();
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
      session_id: SESSION_ID,
      resume_gateway_url: this.url,
      application: { id: this.bot.applicationId, flags: 0 },
    };
  }
}
