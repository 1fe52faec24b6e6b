import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SLACK_APP_TOKEN, SLACK_BOT_TOKEN, slackAuthError } from './slack-wire.js';

export interface RecordedCall {
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  /** Form fields (with `blocks` parsed from its JSON) or the JSON body. */
  readonly body: Record<string, unknown>;
}

export interface FakeAnswer {
  readonly status?: number;
  readonly headers?: Record<string, string>;
  readonly body: unknown;
}

type Handler = (call: RecordedCall) => FakeAnswer;

/**
 * A local Slack Web API (`/api/<method>`) and response_url endpoint (`/hooks/<id>`), speaking
 * Slack's formats: form or JSON in, `{ok: …}` JSON out. Tests point SLACK_API_URL at `apiUrl`.
 * Like Slack, every Web API call must carry the right token (`not_authed`, `invalid_auth`,
 * `not_allowed_token_type` otherwise), checked before any handler a test installed; response_urls
 * need none.
 */
export class SlackWebApiFake {
  readonly calls: RecordedCall[] = [];
  private readonly handlers = new Map<string, Handler>();
  private readonly waiters: Array<() => void> = [];

  private constructor(
    private readonly server: Server,
    private readonly tokens: { readonly bot: string; readonly app: string },
  ) {}

  static async start(tokens: { bot?: string; app?: string } = {}): Promise<SlackWebApiFake> {
    const server = createServer();
    const fake = new SlackWebApiFake(server, {
      bot: tokens.bot ?? SLACK_BOT_TOKEN,
      app: tokens.app ?? SLACK_APP_TOKEN,
    });
    server.on('request', (req, res) => {
      void readBody(req).then((raw) => {
        const call = {
          path: req.url ?? '',
          headers: req.headers,
          body: parseBody(raw, req.headers['content-type']),
        };
        fake.calls.push(call);
        const answer = fake.answer(call);
        res.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...answer.headers });
        res.end(JSON.stringify(answer.body));
        for (const wake of fake.waiters.splice(0)) wake();
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return fake;
  }

  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get apiUrl(): string {
    return `${this.origin}/api/`;
  }

  responseUrl(id: string): string {
    return `${this.origin}/hooks/${id}`;
  }

  /** Answers a Web API method (`chat.postMessage`) or a path (`/hooks/c1`) this way from now on. */
  on(methodOrPath: string, handler: Handler): void {
    this.handlers.set(methodOrPath.startsWith('/') ? methodOrPath : `/api/${methodOrPath}`, handler);
  }

  callsTo(methodOrPath: string): RecordedCall[] {
    const path = methodOrPath.startsWith('/') ? methodOrPath : `/api/${methodOrPath}`;
    return this.calls.filter((call) => call.path === path);
  }

  /** Resolves once `count` calls reached the path (a hang guard is the test's timeout). */
  async waitForCalls(methodOrPath: string, count: number): Promise<RecordedCall[]> {
    while (this.callsTo(methodOrPath).length < count) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    return this.callsTo(methodOrPath);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private answer(call: RecordedCall): FakeAnswer {
    if (call.path.startsWith('/api/')) {
      const method = call.path.slice('/api/'.length);
      const refused = slackAuthError(method, call.headers.authorization, call.body.token, this.tokens);
      if (refused) return { body: { ok: false, error: refused } };
    }
    const handler = this.handlers.get(call.path);
    if (handler) return handler(call);
    if (call.path.startsWith('/hooks/')) return { body: { ok: true } };
    if (call.path === '/api/conversations.open')
      return { body: { ok: true, channel: { id: `D${call.body.users}` } } };
    if (call.path === '/api/chat.postMessage')
      return { body: { ok: true, channel: call.body.channel, ts: `${Date.now() / 1000}` } };
    return { body: { ok: false, error: 'unknown_method' } };
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (raw === '') return {};
  if (contentType?.startsWith('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const fields: Record<string, unknown> = Object.fromEntries(new URLSearchParams(raw));
  if (typeof fields.blocks === 'string') fields.blocks = JSON.parse(fields.blocks);
  return fields;
}
