import type { Reply } from '../replies/reply.js';
import { renderReply } from './render/message.js';
import { deferredResponse, messageResponse, type Responder } from './responder.js';

export interface AnswerOptions {
  /** Known to be slow (provision, stop): defer before the work starts. */
  readonly slow: boolean;
  /** A quick command that has not finished by then is deferred after all. */
  readonly deferAfterMs: number;
}

/**
 * Answers a slash command inside Discord's 3-second window. Slow commands are deferred
 * (ephemeral "thinking…") before any work, so a failed acknowledgement starts nothing; quick ones
 * are answered in one response, unless they run past `deferAfterMs`, when they are deferred too.
 * Either way the result arrives by editing the deferred response.
 */
export async function answerCommand(
  responder: Responder,
  work: () => Promise<Reply>,
  options: AnswerOptions,
): Promise<void> {
  if (options.slow) {
    await responder.ack(deferredResponse(true));
    await responder.edit(renderReply(await work()));
    return;
  }
  const pending = work();
  const quick = await settledWithin(pending, options.deferAfterMs);
  if (quick) {
    await responder.ack(messageResponse(renderReply(quick), quick.ephemeral));
    return;
  }
  await responder.ack(deferredResponse(true));
  await responder.edit(renderReply(await pending));
}

/** The value if the promise settles within `ms`, else undefined (the promise keeps running). */
export async function settledWithin<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}
