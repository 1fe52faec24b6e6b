import { describe, expect, it } from 'vitest';
import { renderReply } from '../../../../../src/bots/discord/render/message.js';
import { type LeaseCard, reply } from '../../../../../src/bots/replies/reply.js';

const EXPIRES = Date.parse('2026-11-29T13:00:00Z');

function card(leaseId: string): LeaseCard {
  return {
    leaseId,
    title: [{ strong: 'ubuntu' }, ' · ', { code: leaseId }],
    fields: [
      {
        label: 'Expires',
        value: [{ time: EXPIRES, style: 'full' }, ' (', { time: EXPIRES, style: 'relative' }, ')'],
      },
    ],
    actions: [
      { kind: 'extend', leaseId, minutes: 30, label: 'Extend +30 min' },
      {
        kind: 'stop',
        leaseId,
        label: 'Stop',
        confirm: { title: 'Stop?', text: 'Removed.', confirm: 'Stop it', deny: 'Keep it' },
      },
      { kind: 'link', url: `https://lease.example/logs/${leaseId}`, label: 'Logs' },
    ],
  };
}

describe('renderReply: the shared Reply as a Discord message', () => {
  it("GIVEN a lease card THEN expiry uses Discord's timestamp markup, so every reader sees their own time", () => {
    const message = renderReply(reply('success', ['Your lease'], { cards: [card('7k2m9x4qpz')] }));
    expect(message.embeds).toEqual([
      {
        color: 0x57f287,
        description: '**ubuntu** · `7k2m9x4qpz`',
        fields: [{ name: 'Expires', value: '<t:1795957200:f> (<t:1795957200:R>)', inline: true }],
      },
    ]);
  });

  it('GIVEN card actions THEN one row: Extend (primary), Stop (danger, shared id) and Logs (link, no id)', () => {
    const message = renderReply(reply('success', ['Your lease'], { cards: [card('7k2m9x4qpz')] }));
    expect(message.components).toEqual([
      {
        type: 1,
        components: [
          { type: 2, style: 1, label: 'Extend +30 min', custom_id: 'lease:extend:7k2m9x4qpz:30' },
          { type: 2, style: 4, label: 'Stop', custom_id: 'lease:stop:7k2m9x4qpz' },
          { type: 2, style: 5, label: 'Logs', url: 'https://lease.example/logs/7k2m9x4qpz' },
        ],
      },
    ]);
  });

  it('GIVEN several cards THEN every button names its lease, so rows cannot be mixed up', () => {
    const message = renderReply(
      reply('info', ['You have 2 leases'], { cards: [card('aaaaaaaaaa'), card('bbbbbbbbbb')] }),
    );
    expect(
      message.components.map((row) =>
        row.components.map((button) => ('label' in button ? button.label : '')),
      ),
    ).toEqual([
      ['Extend +30 min · aaaaaaaaaa', 'Stop · aaaaaaaaaa', 'Logs · aaaaaaaaaa'],
      ['Extend +30 min · bbbbbbbbbb', 'Stop · bbbbbbbbbb', 'Logs · bbbbbbbbbb'],
    ]);
  });

  it('GIVEN twelve cards THEN ten embeds, five rows and a line saying what was left out', () => {
    const cards = Array.from({ length: 12 }, (_, i) => card(`lease${String(i).padStart(5, '0')}`));
    const message = renderReply(reply('info', ['12 leases in all'], { cards }));
    expect(message.embeds).toHaveLength(10);
    expect(message.components).toHaveLength(5);
    expect(message.content).toBe('12 leases in all\n…and 2 more.');
  });

  it('GIVEN text echoing user input with markdown and mentions THEN it is escaped and nothing pings', () => {
    const message = renderReply(
      reply('error', ['Unknown image "*bold* @everyone <@42>"'], { body: [[{ code: 'a`b' }]] }),
    );
    expect(message.content).toBe('Unknown image "\\*bold\\* @everyone \\<@42>"\n`aˋb`');
    expect(message.allowed_mentions).toEqual({ parse: [] });
  });

  it('GIVEN quote, heading or list marks at a line start THEN they show as typed', () => {
    expect(renderReply(reply('info', ['> quoted'], { body: [['# heading'], ['- item']] })).content).toBe(
      '\\> quoted\n\\# heading\n\\- item',
    );
  });

  it('GIVEN reply-level actions THEN they get their own row after the cards', () => {
    const message = renderReply(
      reply('info', ['Live logs'], {
        actions: [{ kind: 'link', url: 'https://lease.example/l', label: 'Open logs' }],
      }),
    );
    expect(message.components).toEqual([
      { type: 1, components: [{ type: 2, style: 5, label: 'Open logs', url: 'https://lease.example/l' }] },
    ]);
  });

  it('GIVEN an endless title THEN the content stops at 2000 characters with an ellipsis', () => {
    const message = renderReply(reply('info', ['x'.repeat(5000)]));
    expect(message.content).toHaveLength(2000);
    expect(message.content.endsWith('…')).toBe(true);
  });
});
