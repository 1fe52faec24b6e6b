import { App, type SocketModeReceiver, webApi } from '@slack/bolt';
import type { Application } from 'express';
import type { Logger } from '../../core/ports/logger.js';
import type { Notifier } from '../../core/ports/notifier.js';
import type { CommandRunner } from '../command-runner.js';
import { InFlight } from '../in-flight.js';
import type { ReplyBuilder } from '../replies/reply-builder.js';
import { boltLogger } from './bolt-logger.js';
import { createHttpReceiver } from './http-receiver.js';
import { actionListener } from './listeners/action-listener.js';
import { commandListener } from './listeners/command-listener.js';
import type { ListenerDeps } from './listeners/listener-deps.js';
import { OutputFiles } from './listeners/output-file.js';
import { ChannelPacer } from './notifier/channel-pacer.js';
import { SlackNotifier } from './notifier/slack-notifier.js';
import type { SlackConfig } from './slack-config.js';
import { createSocketReceiver } from './socket-receiver.js';

export interface SlackBotOptions {
  /** Tokens and the API base URL; `appToken` set means Socket Mode, unset means HTTP. */
  readonly config: SlackConfig;
  readonly runner: CommandRunner;
  readonly replies: ReplyBuilder;
  readonly logger: Logger;
  /** Extra Web API client options, e.g. `{ retryConfig: { retries: 0 } }` in tests. */
  readonly clientOptions?: webApi.WebClientOptions;
  /** How long a quick command may run before it is acked without its answer. @defaultValue 1000 */
  readonly ackBudgetMs?: number;
  /** Least time between two DMs to one channel. @defaultValue 1000 */
  readonly dmIntervalMs?: number;
  /** How long stop() waits for commands still running. @defaultValue 10000 */
  readonly stopGraceMs?: number;
  /** @defaultValue Date.now */
  readonly now?: () => number;
}

export interface SlackBot {
  readonly mode: 'socket' | 'http';
  /** HTTP mode: mounts `POST /slack/events` on the shared app, before any body parser. Undefined in Socket Mode. */
  readonly mount?: (app: Application) => void;
  /** Socket Mode: connects (resolves on Slack's hello). HTTP mode: nothing to do, the web server listens. */
  start(): Promise<void>;
  /** Disconnects Socket Mode and lets running commands send their answers (up to `stopGraceMs`). */
  stop(): Promise<void>;
  /** Platform `slack`: the outbox dispatcher's Slack consumer. */
  readonly notifier: Notifier;
}

/** The `/lease` Slack app: Bolt over Socket Mode or HTTP, the same listeners on both, and the DM notifier. */
export function createSlackBot(options: SlackBotOptions): SlackBot {
  const { config, logger } = options;
  const now = options.now ?? Date.now;
  const log = boltLogger(logger);
  const clientOptions: webApi.WebClientOptions = { slackApiUrl: config.apiUrl, ...options.clientOptions };
  const socket = config.appToken ? createSocketReceiver(config.appToken, log, clientOptions) : undefined;
  const http = socket ? undefined : createHttpReceiver(requireSigningSecret(config), logger, log);
  const app = new App({
    receiver: socket ?? http?.receiver,
    // A fixed bot token, and no auth.test: nothing before an ack waits on reaching slack.com.
    authorize: async () => ({ botToken: config.botToken }),
    logger: log,
    clientOptions: { ...clientOptions },
  });
  const inFlight = new InFlight();
  const deps: ListenerDeps = {
    runner: options.runner,
    replies: options.replies,
    logger,
    now,
    inFlight,
    ackBudgetMs: options.ackBudgetMs ?? 1_000,
    allowedTeams: config.allowedTeams,
    files: new OutputFiles(
      new webApi.WebClient(config.botToken, { timeout: 30_000, ...clientOptions, logger: log }),
      logger,
    ),
  };
  if (config.allowedTeams.length === 0)
    logger.warn({}, 'SLACK_ALLOWED_TEAMS is not set: any Slack workspace that installs the app can use it');
  app.command(/^\/lease/, commandListener(deps));
  app.action({ type: 'block_actions' }, actionListener(deps));
  app.error(async (error) => logger.error({ error: error.message, code: error.code }, 'Slack event failed'));
  const notifier = new SlackNotifier({
    client: new webApi.WebClient(config.botToken, {
      timeout: 10_000,
      ...clientOptions,
      logger: log,
      // The outbox retries and honours Retry-After; the client must not sleep inside a delivery.
      retryConfig: clientOptions.retryConfig ?? { retries: 0 },
      rejectRateLimitedCalls: true,
    }),
    replies: options.replies,
    pacer: new ChannelPacer({ intervalMs: options.dmIntervalMs }),
    now,
  });
  return {
    mode: socket ? 'socket' : 'http',
    mount: http?.mount,
    notifier,
    start: async () => {
      if (socket) await app.start();
    },
    stop: async () => {
      if (socket) await disconnect(socket);
      await inFlight.settle(options.stopGraceMs ?? 10_000);
    },
  };
}

function requireSigningSecret(config: SlackConfig): string {
  if (!config.signingSecret) throw new Error('SLACK_SIGNING_SECRET must be set for Slack in HTTP mode');
  return config.signingSecret;
}

async function disconnect(receiver: SocketModeReceiver): Promise<void> {
  await receiver.client.disconnect();
}
