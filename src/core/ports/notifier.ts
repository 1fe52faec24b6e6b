import type { Notice } from '../domain/notice.js';

/**
 * Tells an owner about their lease on one platform (console, Slack, Discord). The outbox
 * dispatcher calls it; throwing leaves the notice pending, to be retried later.
 */
export interface Notifier {
  /** The owner platform it serves: the prefix of owner ids (`local`, `slack`, `discord`, `api`). */
  readonly platform: string;
  deliver(notice: Notice): Promise<void>;
}

/** Thrown by a notifier that was told to slow down (HTTP 429 with Retry-After): the platform pauses. */
export class RetryLaterError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
    this.name = 'RetryLaterError';
  }
}
