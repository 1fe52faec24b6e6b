import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALICE, formBody, slackSignature, slashCommand } from '../../fakes/slack-wire.js';
import { type HttpBot, isolateNetwork, ResponseUrls, startHttpBot } from './http-harness.js';

const network = isolateNetwork();
const RESPONSE_PATH = '/commands/T0ACME/1001/abc';
const RESPONSE_URL = `https://hooks.slack.com${RESPONSE_PATH}`;

describe('Slack over HTTP: /lease slash commands on POST /slack/events', () => {
  let bot: HttpBot;
  let responses: ResponseUrls;

  beforeEach(async () => {
    network.unmatched.length = 0;
    responses = new ResponseUrls();
    bot = await startHttpBot();
  });

  afterEach(async () => {
    await bot.close();
    nock.cleanAll();
  });

  it('GIVEN a signed provision while Docker is slow THEN the ack comes before the container starts, and respond() replaces it with the lease', async () => {
    bot.runtime.delayMs = 1_500;
    const ack = await bot.post(formBody(slashCommand('provision busybox 60', ALICE, RESPONSE_URL)));
    const startedAtAck = bot.runtime.running().length;

    expect(ack.status).toBe(200);
    expect(ack.elapsedMs).toBeLessThan(bot.runtime.delayMs);
    expect(startedAtAck).toBe(0);
    expect(ack.json()).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringContaining('Provisioning busybox for 60 min'),
    });

    const [result] = await responses.waitFor(RESPONSE_PATH, 1);
    expect(bot.runtime.running()).toHaveLength(1);
    bot.runtime.delayMs = 0;
    expect(result).toMatchObject({ response_type: 'ephemeral', replace_original: true });
    expect(String(result?.text)).toContain('Your busybox container is running');
    const lease = (await bot.leases.list(bot.leases.actor('slack:T0ACME:U0ALICE')))[0];
    expect(lease?.notify).toEqual({
      platform: 'slack',
      user: 'U0ALICE',
      team: 'T0ACME',
      channel: 'C0GENERAL',
    });
    const blocks = JSON.stringify(result?.blocks);
    expect(blocks).toContain(
      `<!date^${Math.floor((lease?.expiresAt ?? 0) / 1000)}^{date_short_pretty} at {time}|`,
    );
    expect(blocks).toContain(`lease:extend:${lease?.id}:30`);
    expect(blocks).toContain(`lease:stop:${lease?.id}`);
    expect(network.unmatched).toEqual([]);
  });

  it('GIVEN a bad signature THEN 401 and nothing runs', async () => {
    const body = formBody(slashCommand('provision busybox', ALICE, RESPONSE_URL));
    const reply = await bot.post(body, slackSignature(body, { secret: 'not-the-signing-secret' }));
    expect(reply.status).toBe(401);
    expect(bot.runtime.calls).toEqual([]);
  });

  it('GIVEN a correctly signed request whose timestamp is six minutes old THEN 401 (replay refused)', async () => {
    const body = formBody(slashCommand('help', ALICE, RESPONSE_URL));
    const sixMinutesAgo = Math.floor(Date.now() / 1000) - 6 * 60;
    const reply = await bot.post(body, slackSignature(body, { timestamp: sixMinutesAgo }));
    expect(reply.status).toBe(401);
  });

  it('GIVEN help THEN the ack itself carries the short usage, and no follow-up is sent', async () => {
    const ack = await bot.post(formBody(slashCommand('help', ALICE, RESPONSE_URL)));
    await bot.bot.stop();
    expect(ack.json()).toMatchObject({ response_type: 'ephemeral' });
    expect(String(ack.json().text)).toContain('/lease provision &lt;image&gt; [minutes]');
    expect(JSON.stringify(ack.json().blocks)).toContain('Images: busybox, missing');
    expect(responses.posts).toEqual([]);
  });

  it('GIVEN images THEN the ack lists each image with its limit', async () => {
    const ack = await bot.post(formBody(slashCommand('images', ALICE, RESPONSE_URL)));
    expect(String(ack.json().text)).toContain('busybox — BusyBox (test image) (up to 480 min)');
  });

  it('GIVEN a mistyped command THEN a one-line reason and the usage, never a stack trace', async () => {
    const ack = await bot.post(formBody(slashCommand('frobnicate now', ALICE, RESPONSE_URL)));
    const text = String(ack.json().text);
    expect(text).toContain(`I don't know "/lease frobnicate".`);
    expect(text).toContain('Usage: /lease provision');
    expect(text).not.toMatch(/at .*\.ts:\d+/);
  });

  it('GIVEN list while Docker is slow THEN an empty ack at once, then the Dashboard button and each lease with its own buttons', async () => {
    const alice = { owner: 'slack:T0ACME:U0ALICE', notify: { platform: 'slack', user: 'U0ALICE' } };
    const first = (await bot.runner.runText('provision busybox 30', alice)).cards[0]?.leaseId;
    const second = (await bot.runner.runText('provision busybox 90', alice)).cards[0]?.leaseId;
    bot.runtime.delayMs = 2_000;

    const ack = await bot.post(formBody(slashCommand('list', ALICE, RESPONSE_URL)));
    expect(ack.status).toBe(200);
    expect(ack.text).toBe('');
    expect(ack.elapsedMs).toBeLessThan(bot.runtime.delayMs);

    const [result] = await responses.waitFor(RESPONSE_PATH, 1);
    expect(result).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    const actionBlocks = ((result?.blocks ?? []) as Array<{ type: string; block_id?: string }>).filter(
      (block) => block.type === 'actions',
    );
    expect(actionBlocks.map((block) => block.block_id)).toEqual([
      'list:reply:links',
      `list:${first}`,
      `list:${second}`,
    ]);
  });

  it('GIVEN a form content type with a charset THEN the command is still verified and answered', async () => {
    const body = formBody(slashCommand('help', ALICE, RESPONSE_URL));
    const ack = await bot.post(body, { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' });
    expect(ack.status).toBe(200);
    expect(String(ack.json().text)).toContain('ContainerLease lends you a short-lived container.');
  });

  it('GIVEN global body parsers registered after the Slack mount THEN the other routes still get parsed bodies', async () => {
    const echoed = await fetch(`${bot.baseUrl}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ hello: 'world' }),
    });
    expect(await echoed.json()).toEqual({ hello: 'world' });
  });
});
