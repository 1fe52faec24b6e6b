import type { BlockAction, SlashCommand } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { actionContext, commandContext } from '../../../../src/bots/slack/identity.js';
import { isValidOwner } from '../../../../src/core/domain/owner.js';
import { ALICE, blockActions, slashCommand } from '../../../fakes/slack-wire.js';

describe('Slack identity: who asks, and where to tell them later', () => {
  it('GIVEN a slash command THEN owner slack:<team>:<user> and a notify target with user, team and channel', () => {
    const context = commandContext(slashCommand('list', ALICE, 'https://hooks.slack.com/x') as SlashCommand);
    expect(context).toEqual({
      owner: 'slack:T0ACME:U0ALICE',
      notify: { platform: 'slack', user: 'U0ALICE', team: 'T0ACME', channel: 'C0GENERAL' },
    });
    expect(isValidOwner(context.owner)).toBe(true);
  });

  it('GIVEN a button click THEN the same identity as the same person typing a command', () => {
    const click = blockActions(
      { actionId: 'lease:stop:x', blockId: 'b' },
      ALICE,
      'https://hooks.slack.com/y',
    );
    expect(actionContext(click as unknown as BlockAction)).toEqual(
      commandContext(slashCommand('list', ALICE, '') as SlashCommand),
    );
  });

  it('GIVEN a click with no team (org-wide install) THEN the user’s own team is used', () => {
    const click = {
      ...blockActions({ actionId: 'a', blockId: 'b' }, ALICE, ''),
      team: null,
      channel: undefined,
    };
    expect(actionContext(click as unknown as BlockAction).owner).toBe('slack:T0ACME:U0ALICE');
    expect(actionContext(click as unknown as BlockAction).notify.channel).toBe('C0GENERAL');
  });
});
