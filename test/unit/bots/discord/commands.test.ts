import { describe, expect, it } from 'vitest';
import { choiceName } from '../../../../src/bots/discord/choice-name.js';
import { leaseCommand } from '../../../../src/bots/discord/commands.js';

const images = [
  { name: 'ubuntu', description: 'Ubuntu 24.04 LTS' },
  { name: 'alpine', description: 'alpine' },
];

type Option = {
  name: string;
  options?: Option[];
  choices?: unknown[];
  autocomplete?: boolean;
  max_value?: number;
};

function sub(name: string, catalog = images, maxMinutes = 480): Option | undefined {
  return (leaseCommand({ images: catalog, maxMinutes }).options as Option[]).find(
    (option) => option.name === name,
  );
}

describe('leaseCommand: /lease as SlashCommandBuilder JSON', () => {
  it('GIVEN the grammar THEN one subcommand per verb, in the order help lists them, and admin as a group of its four', () => {
    const command = leaseCommand({ images, maxMinutes: 480 });
    expect(command.name).toBe('lease');
    expect(command.options?.map((option) => option.name)).toEqual([
      'provision',
      'list',
      'stop',
      'extend',
      'logs',
      'exec',
      'open',
      'images',
      'help',
      'admin',
    ]);
    const admin = command.options?.find((option) => option.name === 'admin');
    expect(admin?.type).toBe(2);
    const subcommands = admin && 'options' in admin ? (admin.options ?? []) : [];
    expect(subcommands.map((option) => option.name)).toEqual(['stop', 'list', 'audit', 'usage']);
    expect(
      subcommands.map((option) => ('options' in option ? (option.options ?? []) : []).map((o) => o.name)),
    ).toEqual([['id', 'reason'], [], ['id'], ['days']]);
  });

  it('GIVEN a small catalog THEN images are fixed choices named with their description', () => {
    expect(sub('provision')?.options?.[0]?.choices).toEqual([
      { name: 'ubuntu — Ubuntu 24.04 LTS', value: 'ubuntu' },
      { name: 'alpine', value: 'alpine' },
    ]);
  });

  it('GIVEN more than 25 images THEN the image option autocompletes instead', () => {
    const many = Array.from({ length: 26 }, (_, i) => ({ name: `image${i}`, description: '' }));
    const image = sub('provision', many)?.options?.[0];
    expect(image?.autocomplete).toBe(true);
    expect(image?.choices).toBeUndefined();
  });

  it('GIVEN LEASE_MAX_MINUTES=240 THEN both minutes options stop at 240', () => {
    expect(sub('provision', images, 240)?.options?.[1]?.max_value).toBe(240);
    expect(sub('extend', images, 240)?.options?.[1]?.max_value).toBe(240);
  });

  it('GIVEN stop, extend and logs THEN the id autocompletes', () => {
    for (const name of ['stop', 'extend', 'logs']) expect(sub(name)?.options?.[0]?.autocomplete).toBe(true);
  });

  it('GIVEN a long description THEN the choice name keeps within 100 characters', () => {
    expect(choiceName({ name: 'x', description: 'y'.repeat(200) })).toHaveLength(100);
  });
});
