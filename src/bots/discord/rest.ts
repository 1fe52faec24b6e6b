import { DiscordAPIError, RateLimitError, REST, RESTJSONErrorCodes, type RESTOptions } from 'discord.js';
import type { DiscordConfig } from '../../core/config/config.js';
import { RetryLaterError } from '../../core/ports/notifier.js';

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

/** Discord's JSON error code (e.g. 50007), when the failure is one of Discord's API errors. */
export function discordErrorCode(error: unknown): number | string | undefined {
  return error instanceof DiscordAPIError ? error.code : undefined;
}

/** 50007 "Cannot send messages to this user": DMs closed, or no server shared with the bot. */
export function isDmBlocked(error: unknown): boolean {
  return discordErrorCode(error) === RESTJSONErrorCodes.CannotSendMessagesToThisUser;
}

/** A rate limit as the dispatcher's RetryLaterError; anything else unchanged. */
export function asRetryLater(error: unknown): unknown {
  if (!(error instanceof RateLimitError)) return error;
  // Retry-After when Discord sent one; otherwise the bucket's reset, or a second.
  const waitMs = error.retryAfter > 0 ? error.retryAfter : Math.max(error.timeToReset, 1000);
  return new RetryLaterError(`Discord rate limit on ${error.route}; retry in ${waitMs} ms`, waitMs);
}
