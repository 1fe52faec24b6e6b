import { DiscordAPIError, type REST } from '@discordjs/rest';
import { type SessionInfo, WebSocketManager, WebSocketShardEvents } from '@discordjs/ws';
import {
  type APIInteraction,
  type APIUser,
  GatewayCloseCodes,
  GatewayDispatchEvents,
  GatewayIntentBits,
} from 'discord-api-types/v10';
import { ConfigError } from '../../core/errors.js';
import type { Logger } from '../../core/ports/logger.js';

export interface SocketReceiverOptions {
  readonly token: string;
  /** The bot's REST client (DISCORD_API_URL, the token set): gateway discovery goes through it. */
  readonly rest: REST;
  readonly onInteraction: (interaction: APIInteraction) => void;
  readonly logger: Logger;
}

export interface SocketReceiver {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The close codes after which @discordjs/ws gives the session up instead of resuming or
 * reconnecting: the operator has something to fix (token, intents, sharding, API version).
 */
const FATAL_CLOSE_CODES: ReadonlySet<number> = new Set([
  GatewayCloseCodes.AuthenticationFailed,
  GatewayCloseCodes.InvalidShard,
  GatewayCloseCodes.ShardingRequired,
  GatewayCloseCodes.InvalidAPIVersion,
  GatewayCloseCodes.InvalidIntents,
  GatewayCloseCodes.DisallowedIntents,
]);

/**
 * The gateway connection, with @discordjs/ws alone (not the discord.js client, whose caches and
 * structures the bot never used): it identifies, heartbeats, resumes or reconnects as Discord
 * asks, and hands each INTERACTION_CREATE over in Discord's wire format, so gateway and HTTP
 * interactions go through the same handler. Interactions need no intent; the session identifies
 * with Guilds (not privileged), as it did under discord.js.
 */
export function createSocketReceiver(options: SocketReceiverOptions): SocketReceiver {
  // The session to resume lives with this receiver: @discordjs/ws's default store is one per
  // process, where a second bot (a test's) would try to resume the first one's session.
  let session: SessionInfo | null = null;
  const manager = new WebSocketManager({
    token: options.token,
    intents: GatewayIntentBits.Guilds,
    rest: options.rest,
    retrieveSessionInfo: () => session,
    updateSessionInfo: (_shardId, info) => {
      session = info;
    },
  });
  manager.on(WebSocketShardEvents.Dispatch, ({ data }) => {
    if (data.t === GatewayDispatchEvents.InteractionCreate) options.onInteraction(data.d);
  });
  let user: APIUser | undefined;
  manager.on(WebSocketShardEvents.Ready, ({ data }) => {
    user = data.user;
  });
  // Shard errors are recovered from (a reconnect) or end in a fatal close, reported below.
  manager.on(WebSocketShardEvents.Error, ({ error, shardId }) =>
    options.logger.warn({ error: error.message, shard: shardId }, 'discord gateway error'),
  );
  let closeCode: number | undefined;
  manager.on(WebSocketShardEvents.Closed, ({ code, shardId }) => {
    if (!FATAL_CLOSE_CODES.has(code)) return;
    closeCode = code;
    options.logger.warn({ code, shard: shardId }, 'discord gateway disconnected');
  });
  return {
    async start() {
      closeCode = undefined;
      try {
        await manager.connect();
      } catch (error) {
        await manager.destroy();
        throw asStartError(error, closeCode);
      }
      options.logger.info({ user: user && tag(user) }, 'discord gateway ready');
    },
    async stop() {
      await manager.destroy();
    },
  };
}

/** Discord's name for a user: the username, with `#discriminator` for the accounts that still have one. */
function tag(user: APIUser): string {
  return user.discriminator === '0' ? user.username : `${user.username}#${user.discriminator}`;
}

/**
 * A refused token is the operator's to fix: say which variable, in one line. Discord refuses it
 * on REST (401 to the gateway discovery) or, at IDENTIFY, by closing the gateway with 4004.
 */
function asStartError(error: unknown, closeCode: number | undefined): unknown {
  const refused =
    (error instanceof DiscordAPIError && error.status === 401) ||
    closeCode === GatewayCloseCodes.AuthenticationFailed;
  if (!refused) return error;
  return new ConfigError('DISCORD_TOKEN was refused by Discord: copy a fresh one from Bot → Reset Token');
}
