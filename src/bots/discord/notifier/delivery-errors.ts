import { DiscordAPIError, RateLimitError } from '@discordjs/rest';
import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import { RetryLaterError } from '../../../core/ports/notifier.js';

/**
 * What the outbox dispatcher should hear about a failed delivery. A rate limit becomes
 * RetryLaterError with Discord's wait, so the dispatcher pauses every Discord delivery; anything
 * else is thrown as it is, and the notice stays pending for the dispatcher's next retry.
 */
export function deliveryError(error: unknown): Error {
  if (error instanceof RateLimitError) {
    // Retry-After when Discord sent one; otherwise the bucket's reset, or a second.
    const waitMs = error.retryAfter > 0 ? error.retryAfter : Math.max(error.timeToReset, 1000);
    return new RetryLaterError(`Discord rate limit on ${error.route}; retry in ${waitMs} ms`, waitMs);
  }
  return error instanceof Error ? error : new Error(String(error));
}

/** 50007 "Cannot send messages to this user": DMs closed, or no server shared with the bot. */
export function isDmBlocked(error: unknown): boolean {
  return error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.CannotSendMessagesToThisUser;
}
