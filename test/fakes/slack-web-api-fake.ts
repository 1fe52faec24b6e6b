import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
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

/** A file shared with files.completeUploadExternal: where, under what title, and its bytes. */
export interface SharedFile {
  readonly fileId: string;
  readonly filename: string;
  readonly title: string;
  readonly channel: string;
  readonly content: Buffer;
}

/** A file between files.getUploadURLExternal and files.completeUploadExternal. */
interface PendingUpload {
  readonly filename: string;
  readonly length: number;
  content?: Buffer;
}

/**
 * A local Slack Web API (`/api/<method>`) and response_url endpoint (`/hooks/<id>`), speaking
 * Slack's formats: form or JSON in, `{ok: …}` JSON out. Tests point SLACK_API_URL at `apiUrl`.
 * Like Slack, every Web API call must carry the right token (`not_authed`, `invalid_auth`,
 * `not_allowed_token_type` otherwise), checked before any handler a test installed; response_urls
 * need none.
 */
export class SlackWebApiFake {
  readonly calls: RecordedCall[] = [];
  /** Files uploaded and shared, in order. */
  readonly files: SharedFile[] = [];
  private readonly uploads = new Map<string, PendingUpload>();
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
      if (req.url?.startsWith('/upload/')) {
        void fake.upload(req, res);
        return;
      }
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

  /**
   * The upload URL files.getUploadURLExternal hands out: it takes the file's bytes in a POST (the
   * URL itself is the credential: an unknown one is refused) and answers `OK - <length>`.
   */
  private async upload(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const content = Buffer.concat(chunks);
    const pending = this.uploads.get((req.url ?? '').slice('/upload/'.length));
    this.calls.push({ path: '/upload', headers: req.headers, body: { length: content.length } });
    if (req.method !== 'POST' || !pending || pending.content) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    pending.content = content;
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`OK - ${content.length}`);
  }

  /** The external upload's first and last steps, as Slack answers them. */
  private fileMethod(call: RecordedCall): FakeAnswer | undefined {
    if (call.path === '/api/files.getUploadURLExternal') {
      const { filename, length } = call.body as { filename?: string; length?: string };
      if (!filename || !length || !/^\d+$/.test(length))
        return { body: { ok: false, error: 'invalid_arguments' } };
      const fileId = `F${String(this.uploads.size + 1).padStart(10, '0')}`;
      this.uploads.set(fileId, { filename, length: Number(length) });
      return { body: { ok: true, upload_url: `${this.origin}/upload/${fileId}`, file_id: fileId } };
    }
    if (call.path === '/api/files.completeUploadExternal') {
      const listed = JSON.parse(String(call.body.files ?? '[]')) as Array<{ id: string; title?: string }>;
      const channel = String(call.body.channel_id ?? '');
      const shared: SharedFile[] = [];
      for (const { id, title } of listed) {
        const pending = this.uploads.get(id);
        if (!pending?.content || pending.content.length !== pending.length)
          return { body: { ok: false, error: 'file_not_found' } };
        shared.push({
          fileId: id,
          filename: pending.filename,
          title: title ?? pending.filename,
          channel,
          content: pending.content,
        });
      }
      if (shared.length === 0) return { body: { ok: false, error: 'invalid_arguments' } };
      this.files.push(...shared);
      return {
        body: {
          ok: true,
          files: shared.map((file) => ({ id: file.fileId, title: file.title, name: file.filename })),
        },
      };
    }
    return undefined;
  }

  private answer(call: RecordedCall): FakeAnswer {
    if (call.path.startsWith('/api/')) {
      const method = call.path.slice('/api/'.length);
      const refused = slackAuthError(method, call.headers.authorization, call.body.token, this.tokens);
      if (refused) return { body: { ok: false, error: refused } };
    }
    const handler = this.handlers.get(call.path);
    if (handler) return handler(call);
    const file = this.fileMethod(call);
    if (file) return file;
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
