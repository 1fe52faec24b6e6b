import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import nock from 'nock';
import type { SlackBot } from '../../../src/bots/slack/slack-bot.js';
import type { SlackConfig } from '../../../src/bots/slack/slack-config.js';
import { FORM, slackSignature } from '../../fakes/slack-wire.js';
import { makeBotFixture } from '../../support/bot-fixture.js';
import { testSlackBot } from '../../support/chat-bots.js';

export const HOOKS = 'https://hooks.slack.com';
const LOCAL = /^(127\.0\.0\.1|localhost)$/;

/**
 * The Slack bot in HTTP mode on a real Express server (listening on port 0) with the web server's
 * layout: Slack mounted first, then global body parsers for the other routes. Slack itself is nock.
 */
export async function startHttpBot(config: Partial<SlackConfig> = {}) {
  const fixture = makeBotFixture();
  const bot = testSlackBot(fixture, config);
  const app = express();
  bot.mount?.(app);
  app.use(express.json(), express.urlencoded({ extended: false }));
  app.post('/echo', (req, res) => {
    res.json(req.body);
  });
  const server: Server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    ...fixture,
    bot,
    baseUrl,
    post: (body: string, headers?: Record<string, string>) => post(`${baseUrl}/slack/events`, body, headers),
    close: async () => {
      await bot.stop();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export interface Posted {
  readonly status: number;
  readonly text: string;
  readonly json: () => Record<string, unknown>;
  /** From sending the request to receiving the whole response. */
  readonly elapsedMs: number;
}

/** POSTs a signed form body (unless `headers` replace the signature) as Slack would. */
export async function post(url: string, body: string, headers?: Record<string, string>): Promise<Posted> {
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': FORM, ...slackSignature(body), ...headers },
    body,
  });
  const text = await response.text();
  const elapsedMs = performance.now() - started;
  return { status: response.status, text, json: () => JSON.parse(text), elapsedMs };
}

/** What the app posted to response_urls on hooks.slack.com (nocked), by path. */
export class ResponseUrls {
  readonly posts: Array<{ path: string; body: Record<string, unknown> }> = [];
  private waiters: Array<() => void> = [];

  constructor() {
    nock(HOOKS)
      .persist()
      .post(/.*/)
      .reply(200, (path, body) => {
        this.posts.push({
          path,
          body: typeof body === 'string' ? JSON.parse(body) : (body as Record<string, unknown>),
        });
        for (const wake of this.waiters.splice(0)) wake();
        return 'ok';
      });
  }

  to(path: string): Array<Record<string, unknown>> {
    return this.posts.filter((post) => post.path === path).map((post) => post.body);
  }

  async waitFor(path: string, count: number): Promise<Array<Record<string, unknown>>> {
    while (this.to(path).length < count) await new Promise<void>((resolve) => this.waiters.push(resolve));
    return this.to(path);
  }
}

/** Only our own server is reachable; anything else that is not nocked is recorded and refused. */
export function isolateNetwork(): { unmatched: string[] } {
  const unmatched: string[] = [];
  nock.disableNetConnect();
  nock.enableNetConnect((host) => LOCAL.test(host.replace(/:\d+$/, '')));
  nock.emitter.on('no match', (request: { path?: string; href?: string; options?: { href?: string } }) => {
    const where = String(request.href ?? request.options?.href ?? request.path ?? request);
    if (!LOCAL.test(new URL(where, 'http://127.0.0.1').hostname)) unmatched.push(where);
  });
  return { unmatched };
}

export type HttpBot = Awaited<ReturnType<typeof startHttpBot>>;
export type { SlackBot };
