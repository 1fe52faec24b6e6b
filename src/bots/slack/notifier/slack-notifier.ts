import type { webApi } from '@slack/bolt';
import type { Notice } from '../../../core/domain/notice.js';
import type { Notifier } from '../../../core/ports/notifier.js';
import type { ReplyBuilder } from '../../replies/reply-builder.js';
import { renderReply } from '../render/message.js';
import type { ChannelPacer } from './channel-pacer.js';
import { deliveryError, staleChannel } from './delivery-errors.js';
import { DmChannels } from './dm-channels.js';

export interface SlackNotifierDeps {
  /** A client that rejects rate-limited calls at once (`rejectRateLimitedCalls`), so 429s reach us. */
  readonly client: webApi.WebClient;
  readonly replies: ReplyBuilder;
  readonly pacer: ChannelPacer;
  readonly now: () => number;
}

/**
 * The outbox's Slack consumer: DMs the owner (conversations.open, then chat.postMessage with blocks
 * and a text fallback). Any failure is thrown, so the notice stays pending and is retried; a 429
 * becomes RetryLaterError so the dispatcher honours Slack's Retry-After.
 */
export class SlackNotifier implements Notifier {
  readonly platform = 'slack';
  private readonly dms: DmChannels;

  constructor(private readonly deps: SlackNotifierDeps) {
    this.dms = new DmChannels(deps.client);
  }

  async deliver(notice: Notice): Promise<void> {
    const user = notice.notify.user || notice.owner.split(':').at(-1) || '';
    try {
      const channel = await this.dms.open(user);
      const message = renderReply(this.deps.replies.notice(notice), this.deps.now());
      await this.deps.pacer.send(channel, () =>
        this.deps.client.chat.postMessage({ channel, text: message.text, blocks: message.blocks }),
      );
    } catch (error) {
      if (staleChannel(error)) this.dms.forget(user);
      throw deliveryError(error);
    }
  }
}
