import { userMention } from '@discordjs/formatters';
import type { REST } from '@discordjs/rest';
import { Routes } from 'discord-api-types/v10';
import type { Notice } from '../../../core/domain/notice.js';
import type { Notifier } from '../../../core/ports/notifier.js';
import type { ReplyBuilder } from '../../replies/reply-builder.js';
import { type DiscordMessage, renderReply } from '../render/message.js';
import { deliveryError, isDmBlocked } from './delivery-errors.js';

/**
 * The outbox's Discord consumer, over REST only, so it works from any process. It DMs the owner;
 * when they do not accept DMs (50007) it posts in the channel where they ran the command, with a
 * mention and without links (they would show the lease's logs to the whole channel). A 429 becomes RetryLaterError (the dispatcher pauses); any other failure is thrown as
 * is, so the notice stays pending and is retried.
 */
export class DiscordNotifier implements Notifier {
  readonly platform = 'discord';

  constructor(
    private readonly rest: REST,
    private readonly replies: ReplyBuilder,
    private readonly canSend: boolean,
  ) {}

  async deliver(notice: Notice): Promise<void> {
    if (!this.canSend) throw new Error('DISCORD_TOKEN is not set, so Discord notices cannot be sent');
    const user = notice.notify.user || notice.owner.slice('discord:'.length);
    try {
      await this.deliverTo(user, notice);
    } catch (error) {
      throw deliveryError(error);
    }
  }

  private async deliverTo(user: string, notice: Notice): Promise<void> {
    const channel = notice.notify.channel;
    try {
      const dm = (await this.rest.post(Routes.userChannels(), { body: { recipient_id: user } })) as {
        id: string;
      };
      await this.rest.post(Routes.channelMessages(dm.id), { body: renderReply(this.replies.notice(notice)) });
    } catch (error) {
      if (!isDmBlocked(error) || !channel) throw error;
      // Everyone in the channel reads it: no link (it would show them the lease's logs).
      const message: DiscordMessage = renderReply(this.replies.sharedNotice(notice));
      await this.rest.post(Routes.channelMessages(channel), {
        body: {
          ...message,
          content: `${userMention(user)} ${message.content}`.slice(0, 2000),
          allowed_mentions: { users: [user] },
        },
      });
    }
  }
}
