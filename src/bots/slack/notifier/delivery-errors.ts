import { webApi } from '@slack/bolt';
import { RetryLaterError } from '../../../core/ports/notifier.js';

/** Used when Slack says slow down without saying for how long. */
const DEFAULT_RETRY_AFTER_MS = 30_000;

/**
 * What the outbox dispatcher should hear about a failed delivery. A 429 becomes RetryLaterError with
 * Slack's Retry-After, so the dispatcher pauses every Slack delivery; anything else is thrown as it
 * is, and the notice stays pending for the dispatcher's next retry.
 */
export function deliveryError(error: unknown): Error {
  if (error instanceof webApi.WebAPIRateLimitedError) {
    const retryAfterMs = error.retryAfter > 0 ? error.retryAfter * 1000 : DEFAULT_RETRY_AFTER_MS;
    return new RetryLaterError(`Slack rate limited the DM; retry after ${retryAfterMs} ms`, retryAfterMs);
  }
  if (error instanceof webApi.WebAPIPlatformError && error.data.error === 'ratelimited') {
    return new RetryLaterError('Slack rate limited the DM', DEFAULT_RETRY_AFTER_MS);
  }
  return error instanceof Error ? error : new Error(String(error));
}

/** Platform errors after which the cached DM channel may be stale. */
export function staleChannel(error: unknown): boolean {
  return (
    error instanceof webApi.WebAPIPlatformError &&
    ['channel_not_found', 'is_archived', 'not_in_channel'].includes(String(error.data.error))
  );
}
