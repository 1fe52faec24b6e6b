import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DISCORD_TOKEN } from './discord-payloads.js';

/** A file that came with a request, as Discord takes attachments: a `files[n]` part of a multipart body. */
export interface ReceivedFile {
  readonly field: string;
  readonly filename: string;
  readonly contentType: string;
  readonly content: Buffer;
}

/**
 * A request the fake received: method, path below `/api/v10`, and the parsed JSON body (a
 * multipart body's `payload_json`, its files beside it).
 */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
  readonly files: readonly ReceivedFile[];
  readonly headers: IncomingMessage['headers'];
}

export interface ScriptedResponse {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

interface Script extends ScriptedResponse {
  readonly method: string;
  readonly path: RegExp;
  remaining: number;
}

type Listener = (request: RecordedRequest) => void;

/** Discord's answer to a request without the bot's `Authorization: Bot <token>`. */
const UNAUTHORIZED: ScriptedResponse = { status: 401, body: { message: '401: Unauthorized', code: 0 } };

/** Routes authorised by the interaction token in their path, which take no bot token. */
const TOKEN_IN_PATH = /^\/(interactions\/\d+\/[^/]+\/callback|webhooks\/\d+\/[^/]+)/;

/**
 * Discord's REST API as far as ContainerLease uses it, on a local port: gateway discovery, the
 * interaction callback, webhook edits and follow-ups, DM channels, channel messages and the bulk
 * command overwrite. Tests script failures (`failNext`) and read what arrived (`requests`). As Discord
 * does, every other route answers 401 unless it carries `Authorization: Bot <token>`, before any script.
 */
export class DiscordRestFake {
  readonly requests: RecordedRequest[] = [];
  /** What GET /gateway/bot returns as the gateway's URL. */
  gatewayUrl = 'ws://127.0.0.1:1';
  private readonly scripts: Script[] = [];
  private readonly listeners = new Set<Listener>();
  private sequence = 0;

  private constructor(
    private readonly server: Server,
    private readonly token: string,
  ) {}

  static async start(token = DISCORD_TOKEN): Promise<DiscordRestFake> {
    const fake: DiscordRestFake = new DiscordRestFake(
      createServer((req, res) => void fake.serve(req, res)),
      token,
    );
    fake.server.listen(0, '127.0.0.1');
    await once(fake.server, 'listening');
    return fake;
  }

  /** The base URL to give as DISCORD_API_URL (`@discordjs/rest` appends `/v10`). */
  get api(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api`;
  }

  /** The next `times` requests matching method and path get this response instead. */
  failNext(method: string, path: RegExp, response: ScriptedResponse, times = 1): void {
    this.scripts.push({ ...response, method, path, remaining: times });
  }

  /** Called synchronously as each request arrives, before it is answered. */
  onRequest(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves with the first request (already received or still to come) that matches. */
  waitFor(method: string, path: RegExp, nth = 1): Promise<RecordedRequest> {
    const matches = (request: RecordedRequest) => request.method === method && path.test(request.path);
    const seen = this.requests.filter(matches);
    if (seen.length >= nth) return Promise.resolve(seen[nth - 1] as RecordedRequest);
    let count = seen.length;
    return new Promise((resolve) => {
      const stop = this.onRequest((request) => {
        if (!matches(request) || ++count < nth) return;
        stop();
        resolve(request);
      });
    });
  }

  find(method: string, path: RegExp): RecordedRequest[] {
    return this.requests.filter((request) => request.method === method && path.test(request.path));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close');
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = (req.url ?? '').replace(/^\/api\/v10/, '').split('?')[0] ?? '';
    const { body, files } = await parseBody(Buffer.concat(chunks), req.headers['content-type']);
    const request: RecordedRequest = { method: req.method ?? 'GET', path, body, files, headers: req.headers };
    this.requests.push(request);
    for (const listener of [...this.listeners]) listener(request);
    const response = this.refused(request) ?? this.scripted(request) ?? this.answer(request);
    const payload = response.body === undefined ? '' : JSON.stringify(response.body);
    // Like Discord, a 204 carries no body and no content type (@discordjs/rest parses by that header).
    const type = payload ? { 'content-type': 'application/json' } : {};
    res.writeHead(response.status, { ...type, ...response.headers });
    res.end(payload);
  }

  private refused(request: RecordedRequest): ScriptedResponse | undefined {
    if (TOKEN_IN_PATH.test(request.path)) return undefined;
    return request.headers.authorization === `Bot ${this.token}` ? undefined : UNAUTHORIZED;
  }

  private scripted(request: RecordedRequest): ScriptedResponse | undefined {
    const script = this.scripts.find(
      (s) => s.remaining > 0 && s.method === request.method && s.path.test(request.path),
    );
    if (!script) return undefined;
    script.remaining -= 1;
    return script;
  }

  private answer({ method, path, body }: RecordedRequest): ScriptedResponse {
    const route = `${method} ${path}`;
    const fields = (body ?? {}) as Record<string, unknown>;
    if (route === 'GET /gateway/bot') {
      return {
        status: 200,
        body: {
          url: this.gatewayUrl,
          shards: 1,
          session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 },
        },
      };
    }
    if (/^POST \/interactions\/\d+\/[^/]+\/callback$/.test(route)) return { status: 204 };
    if (route === 'POST /users/@me/channels') {
      return { status: 200, body: { id: `dm-${String(fields.recipient_id)}`, type: 1 } };
    }
    const channel = /^POST \/channels\/([^/]+)\/messages$/.exec(route);
    if (channel) return { status: 200, body: this.message(channel[1] ?? '', fields) };
    if (/^(PATCH|POST) \/webhooks\/\d+\/[^/]+(\/messages\/@original)?$/.test(route)) {
      return { status: 200, body: this.message('interaction-channel', fields) };
    }
    if (/^PUT \/applications\/\d+(\/guilds\/\d+)?\/commands$/.test(route) && Array.isArray(body)) {
      return { status: 200, body: body.map((command: object) => ({ ...command, id: this.nextId() })) };
    }
    return { status: 404, body: { message: '404: Not Found', code: 0 } };
  }

  private message(channelId: string, fields: Record<string, unknown>): object {
    return { id: this.nextId(), channel_id: channelId, type: 0, ...fields };
  }

  private nextId(): string {
    this.sequence += 1;
    return String(1_300_000_000_000_000_000n + BigInt(this.sequence));
  }
}

/** JSON, or multipart as Discord takes it: `payload_json` for the message, `files[n]` for its attachments. */
async function parseBody(
  raw: Buffer,
  contentType: string | undefined,
): Promise<{ body: unknown; files: ReceivedFile[] }> {
  if (!contentType?.startsWith('multipart/form-data')) {
    return { body: raw.length > 0 ? JSON.parse(raw.toString('utf8')) : undefined, files: [] };
  }
  const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  const files: ReceivedFile[] = [];
  let body: unknown;
  for (const [field, value] of form) {
    if (field === 'payload_json' && typeof value === 'string') body = JSON.parse(value);
    else if (typeof value !== 'string') {
      files.push({
        field,
        filename: value.name,
        contentType: value.type,
        content: Buffer.from(await value.arrayBuffer()),
      });
    }
  }
  return { body, files };
}
