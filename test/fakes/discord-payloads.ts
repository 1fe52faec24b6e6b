import type { APIInteraction } from 'discord-api-types/v10';

/** The bot token the Discord fakes accept (REST `Authorization: Bot …` and the gateway's IDENTIFY). */
export const DISCORD_TOKEN = 'fake-bot-token-0123456789';

/** Ids the Discord tests share. */
export const APP_ID = '111111111111111111';
export const GUILD_ID = '222222222222222222';
export const CHANNEL_ID = '333333333333333333';
export const ALICE = '444444444444444444';
export const BOB = '555555555555555555';

let sequence = 0;
function nextId(): string {
  sequence += 1;
  return String(1_200_000_000_000_000_000n + BigInt(sequence));
}

function user(id: string) {
  return { id, username: `user${id.slice(-4)}`, discriminator: '0', global_name: null, avatar: null };
}

/** The fields every interaction in a server carries, as Discord sends them. */
function base(type: number, userId: string) {
  return {
    id: nextId(),
    application_id: APP_ID,
    type,
    token: `token-${nextId()}`,
    version: 1,
    guild_id: GUILD_ID,
    guild: { id: GUILD_ID, locale: 'en-US', features: [] },
    channel_id: CHANNEL_ID,
    channel: { id: CHANNEL_ID, type: 0, name: 'general', guild_id: GUILD_ID },
    member: {
      user: user(userId),
      roles: [],
      joined_at: '2026-01-01T00:00:00.000000+00:00',
      deaf: false,
      mute: false,
      flags: 0,
      permissions: '2248473465835073',
    },
    app_permissions: '2248473465835073',
    locale: 'en-GB',
    guild_locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: { '0': GUILD_ID },
    context: 0,
    attachment_size_limit: 10_485_760,
  };
}

type OptionValue = string | number | boolean;

/** `/lease <subcommand> name:value…`; `focused` marks the option being typed (autocomplete). */
export function slashCommand(
  subcommand: string,
  options: Readonly<Record<string, OptionValue>> = {},
  from = ALICE,
  focused?: string,
): APIInteraction {
  return {
    ...base(2, from),
    data: {
      id: '999999999999999999',
      name: 'lease',
      type: 1,
      options: [{ type: 1, name: subcommand, options: toOptions(options, focused) }],
    },
  } as unknown as APIInteraction;
}

export function autocomplete(
  subcommand: string,
  options: Readonly<Record<string, OptionValue>>,
  focused: string,
  from = ALICE,
): APIInteraction {
  const interaction = slashCommand(subcommand, options, from, focused) as unknown as Record<string, unknown>;
  return { ...interaction, type: 4 } as unknown as APIInteraction;
}

/** A click on a button with this custom id, on an ephemeral message the bot sent. */
export function buttonClick(customId: string, from = ALICE): APIInteraction {
  return {
    ...base(3, from),
    data: { custom_id: customId, component_type: 2 },
    message: {
      id: nextId(),
      channel_id: CHANNEL_ID,
      author: { ...user(APP_ID), bot: true },
      content: 'earlier reply',
      timestamp: '2026-11-29T12:00:00.000000+00:00',
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      embeds: [],
      pinned: false,
      type: 0,
      flags: 64,
      components: [],
    },
  } as unknown as APIInteraction;
}

/**
 * The same interaction sent in the bot's DM, as Discord sends it there: no `guild_id`, `guild` or
 * `member`; the user at the top level; a DM channel; context 1 (BOT_DM).
 */
export function inDirectMessage(interaction: APIInteraction): APIInteraction {
  const {
    guild_id: _guild,
    guild: _guildObject,
    member,
    ...rest
  } = interaction as unknown as Record<string, unknown> & { member: { user: ReturnType<typeof user> } };
  const dm = `dm-${member.user.id}`;
  const message = rest.message as Record<string, unknown> | undefined;
  return {
    ...rest,
    ...(message ? { message: { ...message, channel_id: dm } } : {}),
    user: member.user,
    channel_id: dm,
    channel: { id: dm, type: 1, flags: 0, recipients: [member.user] },
    context: 1,
    authorizing_integration_owners: { '0': '0' },
  } as unknown as APIInteraction;
}

export function ping(): APIInteraction {
  return {
    id: nextId(),
    application_id: APP_ID,
    type: 1,
    token: `token-${nextId()}`,
    version: 1,
  } as APIInteraction;
}

function toOptions(options: Readonly<Record<string, OptionValue>>, focused?: string) {
  return Object.entries(options).map(([name, value]) => ({
    name,
    type: typeof value === 'number' ? 4 : typeof value === 'boolean' ? 5 : 3,
    value,
    ...(name === focused ? { focused: true } : {}),
  }));
}
