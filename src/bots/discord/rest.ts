import { REST, type RESTOptions } from '@discordjs/rest';
import type { DiscordConfig } from './discord-config.js';

/**
 * Routes where a rate limit is thrown, not waited out: the notifier's DMs and channel posts, so the
 * outbox dispatcher pauses the platform and retries later instead of a sender blocking.
 */
const REJECT_ON_RATE_LIMIT = ['/channels/', '/users/'];

/**
 * The REST client for DISCORD_API_URL, shared by the interactions, the notifier and the gateway's
 * discovery; `overrides` is for tests (`{ retries: 0 }`).
 *
 * It sends with Node's fetch: @discordjs/rest's default sends with its own copy of undici's
 * `request`, which hands a multipart body (a FormData) as it is to the process's global
 * dispatcher, and the first copy of undici loaded installs that one. With Slack's socket mode
 * loaded first it is undici 7's, which cannot read this FormData: every attachment failed
 * ("action is not a function"). Node's fetch encodes the body itself, so any dispatcher sends it.
 */
export function createRest(config: DiscordConfig, overrides: Partial<RESTOptions> = {}): REST {
  const rest = new REST({
    version: '10',
    api: config.apiUrl,
    makeRequest: fetch as unknown as RESTOptions['makeRequest'],
    rejectOnRateLimit: REJECT_ON_RATE_LIMIT,
    ...overrides,
  });
  return config.token ? rest.setToken(config.token) : rest;
}
