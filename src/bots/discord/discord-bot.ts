import type { RESTOptions } from '@discordjs/rest';
import type { Express } from 'express';
import { type Clock, systemClock } from '../../core/ports/clock.js';
import type { Logger } from '../../core/ports/logger.js';
import type { Notifier } from '../../core/ports/notifier.js';
import type { LeaseService } from '../../core/services/lease-service.js';
import type { CommandRunner } from '../command-runner.js';
import { InFlight } from '../in-flight.js';
import type { ReplyBuilder } from '../replies/reply-builder.js';
import type { DiscordConfig } from './discord-config.js';
import { createHttpReceiver } from './http-receiver.js';
import { createInteractionHandler } from './listeners/interaction-handler.js';
import { DiscordNotifier } from './notifier/discord-notifier.js';
import { callbackAck } from './responder.js';
import { createRest } from './rest.js';
import { createSocketReceiver } from './socket-receiver.js';

export interface DiscordBotOptions {
  /** token set: gateway; publicKey set: HTTP interactions; apiUrl: DISCORD_API_URL. */
  readonly config: DiscordConfig;
  readonly runner: CommandRunner;
  readonly replies: ReplyBuilder;
  /** images() for autocomplete of image names, list() for autocomplete of the caller's lease ids. */
  readonly leases: LeaseService;
  readonly logger: Logger;
  /** @defaultValue systemClock */
  readonly clock?: Clock;
  /** A quick command still running after this long is deferred. @defaultValue 2000 (Discord allows 3000) */
  readonly deferAfterMs?: number;
  /** How long stop() waits for interactions still being answered. @defaultValue 10000 */
  readonly stopGraceMs?: number;
  /** Overrides for every REST client, e.g. `{ retries: 0 }` in tests. */
  readonly rest?: Partial<RESTOptions>;
}

export interface DiscordBot {
  /** Set when DISCORD_PUBLIC_KEY is: adds POST /discord/interactions; call it before any body parser. */
  readonly mount?: (app: Express) => void;
  /** Logs in to the gateway when DISCORD_TOKEN is set; resolves once the session is ready. */
  start(): Promise<void>;
  /** Leaves the gateway and lets interactions still being answered finish (up to `stopGraceMs`). */
  stop(): Promise<void>;
  /** The outbox's consumer for `discord` owners; pure REST, works in any process. */
  readonly notifier: Notifier;
}

/** The Discord front-end: an adapter that maps interactions to commands, runs them, renders replies. */
export function createDiscordBot(options: DiscordBotOptions): DiscordBot {
  const { config, logger } = options;
  const rest = createRest(config, options.rest);
  const handle = createInteractionHandler(rest, {
    runner: options.runner,
    replies: options.replies,
    leases: options.leases,
    logger,
    clock: options.clock ?? systemClock,
    deferAfterMs: options.deferAfterMs ?? 2_000,
    allowedGuilds: config.allowedGuilds,
  });
  const inFlight = new InFlight();
  const track = (work: Promise<void>) => {
    inFlight.track(
      work.catch((error: unknown) => logger.error({ error: String(error) }, 'discord interaction failed')),
    );
  };
  const gateway = config.token
    ? createSocketReceiver({
        token: config.token,
        rest,
        onInteraction: (interaction) => track(handle(interaction, callbackAck(rest, interaction))),
        logger,
      })
    : undefined;
  if (!config.token)
    logger.warn({}, 'DISCORD_TOKEN is not set: no gateway, and notices cannot be sent as DMs');
  if (config.allowedGuilds.length === 0)
    logger.warn({}, 'DISCORD_ALLOWED_GUILDS is not set: any Discord server that invites the bot can use it');
  return {
    mount: config.publicKey
      ? createHttpReceiver({ publicKey: config.publicKey, handle, logger, track }).mount
      : undefined,
    start: async () => gateway?.start(),
    stop: async () => {
      await gateway?.stop();
      await inFlight.settle(options.stopGraceMs ?? 10_000);
    },
    notifier: new DiscordNotifier(rest, options.replies, config.token !== undefined),
  };
}
