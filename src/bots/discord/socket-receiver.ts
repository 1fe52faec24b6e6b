import { once } from 'node:events';
import {
  type APIInteraction,
  Client,
  DiscordjsErrorCodes,
  Events,
  GatewayCloseCodes,
  GatewayDispatchEvents,
  type GatewayDispatchPayload,
  GatewayIntentBits,
  type RESTOptions,
} from 'discord.js';
import { ConfigError } from '../../core/errors.js';
import type { Logger } from '../../core/ports/logger.js';

export interface SocketReceiverOptions {
  readonly token: string;
  /** The gateway client's REST (DISCORD_API_URL): gateway discovery goes through it. */
  readonly rest: Partial<RESTOptions>;
  readonly onInteraction: (interaction: APIInteraction) => void;
  readonly logger: Logger;
}

export interface SocketReceiver {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The discord.js client, used as the gateway connection: it logs in, keeps the session alive and
 * hands each INTERACTION_CREATE over in Discord's wire format, so gateway and HTTP interactions go
 * through the same handler. Interactions need no intent; Guilds (not privileged) only lets discord.js
 * finish its start-up, which otherwise waits (15 s) for guild events that never come.
 */
export function createSocketReceiver(options: SocketReceiverOptions): SocketReceiver {
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: options.rest });
  client.on(Events.Raw, (packet: GatewayDispatchPayload) => {
    if (packet.t === GatewayDispatchEvents.InteractionCreate) options.onInteraction(packet.d);
  });
  client.on(Events.Error, (error) => options.logger.error({ error: error.message }, 'discord gateway error'));
  let closeCode: number | undefined;
  client.on(Events.ShardDisconnect, (event, shard) => {
    closeCode = event.code;
    options.logger.warn({ code: event.code, shard }, 'discord gateway disconnected');
  });
  return {
    async start() {
      closeCode = undefined;
      const ready = once(client, Events.ClientReady);
      ready.catch(() => {}); // awaited below; only login's failure matters if login fails first
      try {
        await client.login(options.token);
        await ready;
      } catch (error) {
        await client.destroy();
        throw asStartError(error, closeCode);
      }
      options.logger.info({ user: client.user?.tag }, 'discord gateway ready');
    },
    async stop() {
      await client.destroy();
    },
  };
}

/**
 * A refused token is the operator's to fix: say which variable, in one line. Discord refuses it
 * on REST (401, TokenInvalid) or, at IDENTIFY, by closing the gateway with 4004.
 */
function asStartError(error: unknown, closeCode: number | undefined): unknown {
  const refused =
    (error as { code?: unknown })?.code === DiscordjsErrorCodes.TokenInvalid ||
    closeCode === GatewayCloseCodes.AuthenticationFailed;
  if (!refused) return error;
  return new ConfigError('DISCORD_TOKEN was refused by Discord: copy a fresh one from Bot → Reset Token');
}
