// The server side of the Slack ack benchmark, in a process of its own so that its CPU is its own:
// BENCH_SLACK=ours is ContainerLease's Slack adapter (HTTP mode) mounted on the real web server, over
// LeaseService on real Redis and a SlowRuntime whose every engine call takes BENCH_ENGINE_DELAY_MS;
// BENCH_SLACK=bare is a Bolt app on its ExpressReceiver that only acks. Speaks to the parent over IPC.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, ExpressReceiver, LogLevel } from '@slack/bolt';
import { CommandRunner } from '../src/bots/command-runner.js';
import { ReplyBuilder } from '../src/bots/replies/reply-builder.js';
import { createSlackBot } from '../src/bots/slack/slack-bot.js';
import { systemClock } from '../src/core/ports/clock.js';
import { PrometheusMetrics } from '../src/web/metrics.js';
import { SIGNING_SECRET } from '../test/fakes/slack-wire.js';
import { benchEnv } from './lib/bench-env.js';
import { startBenchWeb } from './lib/bench-web.js';
import { SlowRuntime } from './lib/slow-runtime.js';

const BOT_TOKEN = 'xoxb-bench-token';

/** Starts the server; resolves to its URL and how to stop it. */
async function startOurs(): Promise<{ url: string; stop: () => Promise<void> }> {
  const runtime = new SlowRuntime(Number(process.env.BENCH_ENGINE_DELAY_MS ?? 100));
  const metrics = new PrometheusMetrics();
  const scope = { prefix: process.env.BENCH_PREFIX ?? '', instanceId: process.env.BENCH_INSTANCE ?? '' };
  if (!scope.prefix || !scope.instanceId) throw new Error('BENCH_PREFIX and BENCH_INSTANCE must be set');
  const env = benchEnv(systemClock, { runtime, metrics, scope });
  const replies = new ReplyBuilder({
    images: () => env.leases.images(),
    links: env.links,
    clock: systemClock,
    defaultMaxMinutes: 480,
  });
  const slack = createSlackBot({
    config: {
      botToken: BOT_TOKEN,
      signingSecret: SIGNING_SECRET,
      appToken: undefined,
      apiUrl: process.env.BENCH_SLACK_API_URL ?? '',
      allowedTeams: [],
    },
    runner: new CommandRunner(env.leases, replies, env.logger, env.exec, env.admin),
    replies,
    logger: env.logger,
  });
  const web = await startBenchWeb(env, metrics, (app) => slack.mount?.(app));
  return {
    url: web.url,
    stop: async () => {
      await slack.stop();
      await web.close();
      await env.cleanup();
    },
  };
}

async function startBare(): Promise<{ url: string; stop: () => Promise<void> }> {
  const receiver = new ExpressReceiver({ signingSecret: SIGNING_SECRET, logLevel: LogLevel.ERROR });
  const app = new App({
    receiver,
    authorize: async () => ({ botToken: BOT_TOKEN }),
    logLevel: LogLevel.ERROR,
  });
  app.command(/^\/lease/, async ({ ack }) => {
    await ack();
  });
  const server = createServer(receiver.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const server = process.env.BENCH_SLACK === 'bare' ? await startBare() : await startOurs();
process.on('message', (message: { type: string }) => {
  if (message.type === 'stop') void server.stop().finally(() => process.exit(0));
  if (message.type === 'cpu') {
    const { user, system } = process.cpuUsage();
    process.send?.({ type: 'cpu', micros: user + system });
  }
});
process.send?.({ type: 'ready', url: server.url });
// The parent is gone (interrupted): it removes what this process created, by the scope it gave.
process.on('disconnect', () => process.exit(1));
