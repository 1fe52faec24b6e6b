import { afterAll, beforeAll, expect, it } from 'vitest';
import { APP_ID, ALICE as DISCORD_ALICE, slashCommand as discordCommand } from '../fakes/discord-payloads.js';
import { DiscordRestFake, type RecordedRequest } from '../fakes/discord-rest-fake.js';
import { discordKeyPair } from '../fakes/discord-signing.js';
import { SlackWebApiFake } from '../fakes/slack-web-api-fake.js';
import { startTestApp } from '../support/app-process.js';
import { discordFakeEnv, postInteraction, postSlashCommand, slackFakeEnv } from '../support/chat-wire.js';
import { describeWith } from '../support/services.js';

/** What `seq 1 20000` prints: 108 894 bytes, far too long for a message on either platform. */
const SEQ = `${Array.from({ length: 20_000 }, (_, i) => i + 1).join('\n')}\n`;
/** The answer to a command killed at its 30 s timeout: its duration (30 s or more, however long the kill took), and that all it started went too. */
const STOPPED_AT_TIMEOUT =
  /ran past its timeout and was stopped after (?:[3-9]\d|\d{3,})(?:\.\d)? s, with everything it started/;

/**
 * `/lease exec` through the built product, from Slack (HTTP) and Discord (HTTP interactions)
 * against their local fakes, into real containers: a long output goes as a file (Slack: into the
 * caller's DM by the external upload; Discord: attached to the ephemeral answer), a command that
 * outlives the 30-second timeout is stopped, an empty output says so, and an interactive program
 * gets the terminal. `/lease list` carries the caller's dashboard link.
 */
describeWith({ redis: true, docker: true })('/lease exec from Slack and Discord, against the fakes', () => {
  const keys = discordKeyPair();
  let slack: SlackWebApiFake;
  let rest: DiscordRestFake;
  let run: ReturnType<typeof startTestApp>;
  let url: string;
  let hook = 0;

  beforeAll(async () => {
    slack = await SlackWebApiFake.start();
    rest = await DiscordRestFake.start();
    run = startTestApp([], {
      ...slackFakeEnv(slack),
      ...discordFakeEnv(rest, keys),
    });
    url = await run.url();
  });

  afterAll(async () => {
    expect(await run.stop()).toBe(0);
    await Promise.all([slack.close(), rest.close()]);
    await run.clean();
  });

  /** Sends `/lease <text>` from Slack; resolves with the ack and the follow-ups that come within a slow command. */
  const fromSlack = async (text: string, followUps = 0) => {
    hook += 1;
    const path = `/hooks/exec-${hook}`;
    const response = await postSlashCommand(url, text, slack.responseUrl(`exec-${hook}`));
    const ack = await response.text();
    const calls = followUps > 0 ? await slack.waitForCalls(path, followUps) : [];
    return { ack, answers: calls.map((call) => call.body as { text: string; blocks: unknown[] }) };
  };

  /** Sends `/lease <sub>` from Discord; resolves with the initial response and the edit of a deferred one. */
  const fromDiscord = async (sub: string, options: Record<string, string | number>) => {
    const interaction = discordCommand(sub, options, DISCORD_ALICE);
    const response = await postInteraction(url, interaction, keys.privateKey);
    const first = (await response.json()) as { type: number; data?: Record<string, unknown> };
    const edit: RecordedRequest | undefined =
      first.type === 5
        ? await rest.waitFor(
            'PATCH',
            new RegExp(`^/webhooks/${APP_ID}/${interaction.token}/messages/@original$`),
          )
        : undefined;
    return { first, edit, content: String((edit?.body as { content?: string } | undefined)?.content ?? '') };
  };

  const leaseIdIn = (text: string) => /lease `?([0-9a-z]{10})/.exec(text)?.[1] ?? '';

  it('GIVEN a Slack lease THEN a long output goes to the DM as a file, nothing printed says so, vim gets the terminal, and a command past 30 s is stopped', async () => {
    const provisioned = await fromSlack('provision busybox 30', 1);
    const id = leaseIdIn(provisioned.answers[0]?.text ?? '');
    expect(id).toMatch(/^[0-9a-z]{10}$/);

    const long = await fromSlack(`exec ${id} seq 1 20000`, 1);
    expect(long.ack).toContain('Running');
    const answer = JSON.stringify(long.answers[0]);
    expect(answer).toContain('exited with 0');
    expect(answer).toContain('is in a file in your DM with me, where only you can see it');
    expect(answer).toContain('19999\\n20000');
    expect(long.answers[0]).toMatchObject({ response_type: 'ephemeral', replace_original: true });
    expect(slack.files).toHaveLength(1);
    expect(slack.files[0]).toMatchObject({ channel: 'DU0ALICE', filename: `lease-${id}-output.txt` });
    expect(slack.files[0]?.content.toString('utf8')).toBe(SEQ);

    const empty = await fromSlack(`exec ${id} true`, 1);
    expect(JSON.stringify(empty.answers[0])).toContain('It printed nothing.');
    const vim = await fromSlack(`run ${id} vim /etc/passwd`, 1);
    expect(JSON.stringify(vim.answers[0])).toMatch(/needs a terminal[\s\S]*\/terminal\/[0-9a-z]{10}\?token=/);

    const started = Date.now();
    const slow = await fromSlack(`exec ${id} echo begun; sleep 120`, 1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(30_000);
    // The duration said is the command's own (30 s and the kill): the lower bound is checked above.
    expect(JSON.stringify(slow.answers[0])).toMatch(STOPPED_AT_TIMEOUT);
    expect(JSON.stringify(slow.answers[0])).toContain('begun');
    expect(slack.files).toHaveLength(1);
  }, 180_000);

  it('GIVEN a Discord lease THEN a long output is attached to the ephemeral answer, nothing printed says so, and a command past 30 s is stopped', async () => {
    const provisioned = await fromDiscord('provision', { image: 'busybox', minutes: 30 });
    const id = leaseIdIn(provisioned.content);
    expect(id).toMatch(/^[0-9a-z]{10}$/);

    const long = await fromDiscord('exec', { id, command: 'seq 1 20000' });
    expect(long.first).toEqual({ type: 5, data: { flags: 64 } });
    expect(long.content).toContain('exited with 0');
    expect(long.content).toContain('is attached. Its last lines:');
    expect(long.content.length).toBeLessThanOrEqual(2000);
    expect(long.edit?.body).toMatchObject({ attachments: [{ id: 0, filename: `lease-${id}-output.txt` }] });
    expect(long.edit?.files).toHaveLength(1);
    expect(long.edit?.files[0]).toMatchObject({ field: 'files[0]', filename: `lease-${id}-output.txt` });
    expect(long.edit?.files[0]?.content.toString('utf8')).toBe(SEQ);

    const empty = await fromDiscord('exec', { id, command: 'true' });
    expect(empty.content).toContain('It printed nothing.');
    expect(empty.edit?.files).toEqual([]);

    const started = Date.now();
    const slow = await fromDiscord('exec', { id, command: 'echo begun; sleep 120' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(30_000);
    expect(slow.content).toMatch(STOPPED_AT_TIMEOUT);
    expect(slow.content).toContain('begun');
  }, 180_000);

  it('GIVEN /lease list from Slack and Discord THEN the reply, for the caller alone, has a Dashboard button that signs them in', async () => {
    const fromSlackList = await fromSlack('list');
    const slackReply = JSON.parse(fromSlackList.ack) as { response_type: string };
    expect(slackReply.response_type).toBe('ephemeral');
    const slackDashboard =
      /"text":"Dashboard"[^}]*\},"action_id":"[^"]*","url":"([^"]+)"|"url":"([^"]+\/\?token=[^"]+)"/.exec(
        fromSlackList.ack,
      );
    const slackLink = slackDashboard?.[1] ?? slackDashboard?.[2] ?? '';
    const discordList = await fromDiscord('list', {});
    expect(discordList.first).toMatchObject({ type: 4, data: { flags: 64 } });
    const discordLink =
      /"label":"Dashboard","url":"([^"]+)"|"url":"([^"]+\/\?token=[^"]+)","label":"Dashboard"/.exec(
        JSON.stringify(discordList.first),
      );
    for (const [who, link] of [
      ['slack:T0ACME:U0ALICE', slackLink],
      ['discord:444444444444444444', discordLink?.[1] ?? discordLink?.[2] ?? ''],
    ] as const) {
      expect(link, who).toMatch(/\/\?token=v1\./);
      const opened = await fetch(link, { redirect: 'manual' });
      expect(opened.status).toBe(303);
      const cookie = opened.headers
        .getSetCookie()
        .map((value) => value.split(';')[0])
        .join('; ');
      const me = await fetch(`${url}/api/me`, { headers: { cookie } });
      expect(await me.json()).toMatchObject({ owner: who, via: 'session' });
    }
  });
});
