import type { webApi } from '@slack/bolt';

/** How many users' DM channel ids are remembered; the oldest is forgotten first. */
const CAPACITY = 1_000;

/**
 * The DM channel of each user, opened once with `conversations.open` (scope `im:write`) and then
 * remembered: a user's DM channel id does not change, and each open is a rate-limited call.
 */
export class DmChannels {
  private readonly known = new Map<string, string>();

  constructor(private readonly client: webApi.WebClient) {}

  async open(user: string): Promise<string> {
    const cached = this.known.get(user);
    if (cached) return cached;
    const result = await this.client.conversations.open({ users: user });
    const channel = result.channel?.id;
    if (!channel) throw new Error(`conversations.open gave no channel for ${user}`);
    this.known.set(user, channel);
    if (this.known.size > CAPACITY) this.known.delete(this.known.keys().next().value ?? '');
    return channel;
  }

  /** After a failed post the channel may be gone (archived, user deactivated): ask Slack again next time. */
  forget(user: string): void {
    this.known.delete(user);
  }
}
