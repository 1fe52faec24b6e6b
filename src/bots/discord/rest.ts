import { REST, type RESTOptions } from 'discord.js';
import type { DiscordConfig } from './discord-config.js';

/**
 * Routes where a rate limit is thrown, not waited out: the notifier's DMs and channel posts, so the
 * outbox dispatcher pauses the platform and retries later instead of a sender blocking.
 */
const REJECT_ON_RATE_LIMIT = ['/channels/', '/users/'];

/** The REST client for DISCORD_API_URL; `overrides` is for tests (`{ retries: 0 }`). */
export function createRest(config: DiscordConfig, overrides: Partial<RESTOptions> = {}): REST {
  const rest = new REST({
    version: '10',
    ...restBase(config),
    rejectOnRateLimit: REJECT_ON_RATE_LIMIT,
    ...overrides,
  });
  return config.token ? rest.setToken(config.token) : rest;
}

/** The options the gateway client's own REST shares with ours: the base URL, so discovery uses it too. */
export function restBase(config: DiscordConfig): Pick<RESTOptions, 'api'> {
  return { api: config.apiUrl };
}
