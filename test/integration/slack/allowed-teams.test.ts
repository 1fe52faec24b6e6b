import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SlackBot } from '../../../src/bots/slack/slack-bot.js';
import { RecordingLogger } from '../../doubles/recording-logger.js';
import { SlackSocketModeFake } from '../../fakes/slack-socket-mode-fake.js';
import { SlackWebApiFake } from '../../fakes/slack-web-api-fake.js';
import {
  ALICE,
  blockActions,
  formBody,
  SLACK_APP_TOKEN,
  type SlackUser,
  slashCommand,
} from '../../fakes/slack-wire.js';
import { makeBotFixture } from '../../support/bot-fixture.js';
import { testSlackBot } from '../../support/chat-bots.js';
import { isolateNetwork, startHttpBot } from './http-harness.js';

const network = isolateNetwork();
const EVE: SlackUser = { team: 'T0EVIL', user: 'U0EVE', channel: 'C0EVIL' };
/** A DM with the app: Slack still names the workspace (team_id) of whoever writes. */
const EVE_IN_DM: SlackUser = { ...EVE, channel: 'D0EVE' };
const ALICE_IN_DM: SlackUser = { ...ALICE, channel: 'D0ALICE' };

describe('SLACK_ALLOWED_TEAMS over Socket Mode (local fakes of Slack)', () => {
  let web: SlackWebApiFake;
  let socket: SlackSocketModeFake;
  let fixture: ReturnType<typeof makeBotFixture>;
  let bot: SlackBot | undefined;
  let logger: RecordingLogger;

  beforeEach(async () => {
    web = await SlackWebApiFake.start();
    socket = await SlackSocketModeFake.start();
    web.on('apps.connections.open', () => ({ body: { ok: true, url: socket.url } }));
    fixture = makeBotFixture();
    logger = new RecordingLogger();
  });

  afterEach(async () => {
    await bot?.stop();
    await socket.close();
    await web.close();
  });

  async function start(allowedTeams: string[]): Promise<SlackBot> {
    bot = testSlackBot(
      fixture,
      { signingSecret: undefined, appToken: SLACK_APP_TOKEN, apiUrl: web.apiUrl, allowedTeams },
      logger,
    );
    await bot.start();
    return bot;
  }

  const ack = async (text: string, who: SlackUser, extra: Record<string, string> = {}) =>
    (await socket.send('slash_commands', { ...slashCommand(text, who, web.responseUrl('c')), ...extra })).ack
      .payload as Record<string, unknown>;

  it('GIVEN a command from a workspace not in the list THEN one reply naming the workspace and the variable, and nothing runs', async () => {
    await start(['T0ACME']);
    const reply = await ack('provision busybox 30', EVE);
    expect(reply).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringContaining(
        'This Slack workspace (T0EVIL) may not use this ContainerLease: it is not in SLACK_ALLOWED_TEAMS.',
      ),
    });
    expect(fixture.runtime.calls).toEqual([]);
    expect(await fixture.store.count()).toBe(0);
    expect(logger.warnings).toContain(
      'Slack request from a workspace not in SLACK_ALLOWED_TEAMS refused {"team":"T0EVIL"}',
    );
  });

  it('GIVEN a DM to the app THEN it counts as the workspace Slack names: refused for another one, answered for a listed one', async () => {
    await start(['T0ACME']);
    expect(String((await ack('list', EVE_IN_DM)).text)).toContain('SLACK_ALLOWED_TEAMS');
    expect(String((await ack('list', ALICE_IN_DM)).text)).toContain('You have no leases.');
  });

  it('GIVEN an Enterprise Grid org id in the list THEN its workspaces are let in', async () => {
    await start(['E0ACMEORG']);
    expect(String((await ack('list', EVE, { enterprise_id: 'E0ACMEORG' })).text)).toContain(
      'You have no leases.',
    );
    expect(String((await ack('list', EVE)).text)).toContain('SLACK_ALLOWED_TEAMS');
  });

  it.each([
    ['no team_id', { team_id: '' }, 'This Slack workspace (unknown) may not use'],
    [
      'a team_id of another shape',
      { team_id: 'not a team' },
      'This Slack workspace (not a team) may not use',
    ],
    ['garbage text', { text: '\u0000\u202e/lease provision' }, 'This Slack workspace (T0EVIL) may not use'],
  ])('GIVEN a command with %s from outside THEN the same refusal', async (_, extra, refusal) => {
    await start(['T0ACME']);
    expect(String((await ack('provision busybox', EVE, extra)).text)).toContain(refusal);
    expect(fixture.runtime.calls).toEqual([]);
  });

  it('GIVEN a button clicked in a workspace not in the list THEN a refusal that replaces nothing, and the lease is untouched', async () => {
    await start(['T0ACME']);
    const lease = await fixture.leases.provision(fixture.leases.actor('slack:T0EVIL:U0EVE'), {
      imageType: 'busybox',
      minutes: 30,
      notify: { platform: 'slack', user: 'U0EVE', team: 'T0EVIL' },
    });
    const button = { actionId: `lease:extend:${lease.id}:30`, blockId: `lease:${lease.id}` };
    const click = await socket.send('interactive', blockActions(button, EVE, web.responseUrl('a1')));
    expect(click.ack.payload ?? {}).toEqual({});
    const [refused] = await web.waitForCalls('/hooks/a1', 1);
    expect(refused?.body).toMatchObject({
      replace_original: false,
      text: expect.stringContaining('SLACK_ALLOWED_TEAMS'),
    });
    expect((await fixture.store.get(lease.id))?.expiresAt).toBe(lease.expiresAt);
  });

  it('GIVEN the workspace in the list THEN commands run as before', async () => {
    await start(['T0OTHER', 'T0ACME']);
    await socket.send('slash_commands', slashCommand('provision busybox 30', ALICE, web.responseUrl('c2')));
    const [result] = await web.waitForCalls('/hooks/c2', 1);
    expect(String(result?.body.text)).toContain('container is running');
  });

  it('GIVEN no list THEN any workspace may use the bot, and the operator is warned once at start', async () => {
    await start([]);
    expect(logger.warnings).toEqual([
      'SLACK_ALLOWED_TEAMS is not set: any Slack workspace that installs the app can use it {}',
    ]);
    expect(String((await ack('list', EVE)).text)).toContain('You have no leases.');
  });
});

describe('SLACK_ALLOWED_TEAMS over HTTP (signed requests)', () => {
  it('GIVEN a signed command from a workspace not in the list THEN the refusal is the ack itself', async () => {
    network.unmatched.length = 0;
    const bot = await startHttpBot({ allowedTeams: ['T0ACME'] });
    try {
      const reply = await bot.post(
        formBody(slashCommand('provision busybox', EVE, 'https://hooks.slack.com/c')),
      );
      expect(reply.status).toBe(200);
      expect(reply.json()).toMatchObject({ text: expect.stringContaining('SLACK_ALLOWED_TEAMS') });
      expect(bot.runtime.calls).toEqual([]);
      expect(network.unmatched).toEqual([]);
    } finally {
      await bot.close();
    }
  });
});
