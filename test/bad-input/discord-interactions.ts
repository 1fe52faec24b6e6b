import { slashCommand } from '../fakes/discord-payloads.js';

/** A malformed or mistaken Discord interaction, and the words its answer (reply or edit) must contain. */
export interface BadInteraction {
  readonly name: string;
  readonly interaction: object;
  readonly answer: string | readonly string[];
}

const bad = (name: string, interaction: object, answer: string | readonly string[]): BadInteraction => ({
  name,
  interaction,
  answer,
});

export const BAD_DISCORD_INTERACTIONS: readonly BadInteraction[] = [
  bad(
    'an unknown image',
    slashCommand('provision', { image: 'windows', minutes: 30 }),
    'Unknown image "windows".',
  ),
  bad(
    'negative minutes',
    slashCommand('provision', { image: 'busybox', minutes: -5 }),
    'Minutes must be at least 1 (got -5).',
  ),
  bad(
    'ten million minutes',
    slashCommand('provision', { image: 'busybox', minutes: 10_000_000 }),
    'At most 480 minutes are allowed here (got 10000000).',
  ),
  bad(
    'provision without options',
    slashCommand('provision', {}),
    '/lease provision needs an image, e.g. ubuntu.',
  ),
  bad(
    'a path as the lease id',
    slashCommand('stop', { id: '../../etc' }),
    '"../../etc" is not a lease id; ids look like 7k2m9x4qpz',
  ),
  bad(
    'extending a lease that does not exist by 0',
    slashCommand('extend', { id: '7k2m9x4qpz', minutes: 0 }),
    'There is no lease 7k2m9x4qpz; see /lease list.',
  ),
  bad('logs with an empty id', slashCommand('logs', { id: '' }), '/lease logs needs a lease id.'),
  bad('an unknown subcommand', slashCommand('nonsense', {}), 'I don\'t know "/lease nonsense".'),
  bad(
    'no subcommand at all',
    { ...slashCommand('list'), data: { name: 'lease', type: 1, options: [] } },
    'I don\'t know "/lease ".',
  ),
  bad('an unknown interaction type', { ...slashCommand('list'), type: 99 }, "I don't know"),
];
