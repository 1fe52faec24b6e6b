import { setTimeout as sleep } from 'node:timers/promises';
import { RespondError, type RespondFn } from '@slack/bolt';
import type { Logger } from '../../core/ports/logger.js';
import type { SlackResponse } from './render/message.js';

export interface FollowUpOptions {
  /** Replace the message the command or button came from, instead of adding a new one. */
  readonly replaceOriginal: boolean;
}

/** Waits before each retry of a follow-up that Slack failed to take (5xx, 429, network). */
const RETRY_DELAYS_MS = [1_000, 3_000];

/**
 * Sends a message through the request's `response_url` (to whoever asked, unless it is for the channel). A
 * response_url takes five messages in 30 minutes; a follow-up uses one, or two with a pending one.
 * Never throws: a follow-up that cannot be delivered is logged, the command's effect stays.
 */
export async function followUp(
  respond: RespondFn,
  message: SlackResponse,
  options: FollowUpOptions,
  logger: Logger,
): Promise<boolean> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      await respond({ ...message, replace_original: options.replaceOriginal });
      return true;
    } catch (error) {
      const delay = RETRY_DELAYS_MS[attempt];
      if (delay === undefined || !isTransient(error)) {
        logger.warn(
          { error: (error as Error).message, attempts: attempt + 1 },
          'Slack follow-up not delivered',
        );
        return false;
      }
      await sleep(delay);
    }
  }
}

function isTransient(error: unknown): boolean {
  if (error instanceof RespondError) return error.statusCode >= 500 || error.statusCode === 429;
  return true;
}
