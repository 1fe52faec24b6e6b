import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ALICE,
  BOB,
  blockActions,
  type ClickedButton,
  formBody,
  interactionBody,
  slashCommand,
} from '../../fakes/slack-wire.js';
import { type HttpBot, isolateNetwork, ResponseUrls, startHttpBot } from './http-harness.js';

const network = isolateNetwork();
const COMMAND_PATH = '/commands/T0ACME/2001/cmd';
const ACTION_PATH = '/actions/T0ACME/2002/act';
const ACTION_URL = `https://hooks.slack.com${ACTION_PATH}`;

interface Block {
  readonly type: string;
  readonly block_id?: string;
  readonly elements?: Array<{
    action_id: string;
    value?: string;
    url?: string;
    text: { text: string };
    confirm?: object;
  }>;
}

/** The buttons of a message as Slack would show them, ready to be clicked. */
function buttonsOf(
  message: Record<string, unknown> | undefined,
): Array<ClickedButton & { confirm?: object }> {
  return ((message?.blocks ?? []) as Block[])
    .filter((block) => block.type === 'actions')
    .flatMap((block) =>
      (block.elements ?? []).map((element) => ({
        actionId: element.action_id,
        blockId: block.block_id ?? '',
        value: element.value,
        url: element.url,
        text: element.text.text,
        confirm: element.confirm,
      })),
    );
}

function button(message: Record<string, unknown> | undefined, label: string): ClickedButton {
  const found = buttonsOf(message).find((candidate) => candidate.text === label);
  if (!found) throw new Error(`no "${label}" button in ${JSON.stringify(message?.blocks)}`);
  return found;
}

describe('Slack over HTTP: button clicks (block_actions) on lease messages', () => {
  let bot: HttpBot;
  let responses: ResponseUrls;
  let provisioned: Record<string, unknown> | undefined;

  beforeEach(async () => {
    network.unmatched.length = 0;
    responses = new ResponseUrls();
    bot = await startHttpBot();
    await bot.post(
      formBody(slashCommand('provision busybox 60', ALICE, `https://hooks.slack.com${COMMAND_PATH}`)),
    );
    [provisioned] = await responses.waitFor(COMMAND_PATH, 1);
  });

  afterEach(async () => {
    await bot.close();
    nock.cleanAll();
  });

  it('GIVEN the owner clicks "Extend +30 min" THEN an empty ack, and the lease card is replaced with the later expiry', async () => {
    const [lease] = await bot.leases.list(bot.leases.actor('slack:T0ACME:U0ALICE'));
    const extend = button(provisioned, 'Extend +30 min');
    expect(extend.blockId).toBe(`lease:${lease?.id}`);

    const ack = await bot.post(interactionBody(blockActions(extend, ALICE, ACTION_URL)));
    expect(ack.status).toBe(200);
    expect(ack.text).toBe('');

    const [result] = await responses.waitFor(ACTION_PATH, 1);
    expect(result).toMatchObject({ response_type: 'ephemeral', replace_original: true });
    expect(String(result?.text)).toContain(`Lease ${lease?.id} now ends in 90 min`);
    const [after] = await bot.leases.list(bot.leases.actor('slack:T0ACME:U0ALICE'));
    expect(after?.expiresAt).toBe((lease?.expiresAt ?? 0) + 30 * 60_000);
  });

  it('GIVEN the Stop button THEN it asks for confirmation in a Block Kit confirm dialog', () => {
    const stop = buttonsOf(provisioned).find((candidate) => candidate.text === 'Stop');
    expect(stop?.confirm).toMatchObject({
      title: { type: 'plain_text', text: expect.stringMatching(/^Stop lease [0-9a-z]{10}\?$/) },
      text: { type: 'plain_text', text: 'The container and everything in it will be removed.' },
      confirm: { type: 'plain_text', text: 'Stop it' },
      deny: { type: 'plain_text', text: 'Keep it' },
    });
  });

  it('GIVEN someone else clicks Stop THEN a polite ephemeral refusal to them, the message stays and the lease lives', async () => {
    const ack = await bot.post(interactionBody(blockActions(button(provisioned, 'Stop'), BOB, ACTION_URL)));
    expect(ack.status).toBe(200);

    const [refusal] = await responses.waitFor(ACTION_PATH, 1);
    expect(refusal).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(refusal?.text).toMatch(/^Lease [0-9a-z]{10} belongs to someone else\.$/);
    expect(JSON.stringify(refusal?.blocks)).not.toContain('lease:stop:');
    expect(bot.runtime.running()).toHaveLength(1);
  });

  it('GIVEN the owner confirms Stop while Docker is slow THEN the ack comes before the removal, "Stopping…" then "stopped" replace the card', async () => {
    bot.runtime.delayMs = 1_500;
    const ack = await bot.post(interactionBody(blockActions(button(provisioned, 'Stop'), ALICE, ACTION_URL)));
    const runningAtAck = bot.runtime.running().length;
    expect(ack.status).toBe(200);
    expect(ack.elapsedMs).toBeLessThan(bot.runtime.delayMs);
    expect(runningAtAck).toBe(1);

    const [pending, result] = await responses.waitFor(ACTION_PATH, 2);
    expect(pending).toMatchObject({
      replace_original: true,
      text: expect.stringContaining('Stopping lease'),
    });
    expect(result).toMatchObject({
      replace_original: true,
      text: expect.stringContaining('stopped; its container was removed'),
    });
    expect(bot.runtime.running()).toHaveLength(0);
  });

  it('GIVEN a click on the Logs link button THEN it is acknowledged (no warning icon) and nothing else happens', async () => {
    const logs = button(provisioned, 'Logs');
    expect(logs.url).toMatch(/^http:\/\/lease\.test\/logs\/[0-9a-z]{10}\?token=/);

    const ack = await bot.post(interactionBody(blockActions(logs, ALICE, ACTION_URL)));
    await bot.bot.stop();
    expect(ack.status).toBe(200);
    expect(responses.to(ACTION_PATH)).toEqual([]);
    expect(bot.runtime.running()).toHaveLength(1);
  });

  it('GIVEN Extend clicked in a list of two leases THEN the answer is a new message and the list stays', async () => {
    await bot.post(
      formBody(slashCommand('provision busybox 30', ALICE, `https://hooks.slack.com${COMMAND_PATH}`)),
    );
    await responses.waitFor(COMMAND_PATH, 2);
    await bot.post(formBody(slashCommand('list', ALICE, `https://hooks.slack.com${COMMAND_PATH}`)));
    const list = await bot.post(
      formBody(slashCommand('list', ALICE, `https://hooks.slack.com${COMMAND_PATH}`)),
    );
    const extend = button(list.json(), 'Extend +30 min');
    expect(extend.blockId).toMatch(/^list:/);

    await bot.post(interactionBody(blockActions(extend, ALICE, ACTION_URL)));
    const [result] = await responses.waitFor(ACTION_PATH, 1);
    expect(result).toMatchObject({ replace_original: false, text: expect.stringContaining('now ends') });
  });

  it('GIVEN a forged button id THEN the clicker is told it is not a command, and nothing runs', async () => {
    const forged = { actionId: 'lease:format:disk', blockId: 'lease:x', text: 'Format' };
    await bot.post(interactionBody(blockActions(forged, ALICE, ACTION_URL)));
    const [refusal] = await responses.waitFor(ACTION_PATH, 1);
    expect(refusal).toMatchObject({ replace_original: false, text: expect.stringContaining("I don't know") });
    expect(bot.runtime.running()).toHaveLength(1);
  });
});
