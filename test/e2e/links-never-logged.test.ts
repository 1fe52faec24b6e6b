import { afterAll, beforeAll, expect, it } from 'vitest';
import { LinkTokens } from '../../src/core/links/link-tokens.js';
import { SlackWebApiFake } from '../fakes/slack-web-api-fake.js';
import { startTestApp } from '../support/app-process.js';
import { postSlashCommand, slackFakeEnv } from '../support/chat-wire.js';
import { eventually } from '../support/eventually.js';
import { describeWith } from '../support/services.js';

const LINK_SECRET = 'links-never-logged-secret-0123456789';
/** A link token anywhere (link-tokens.ts), or any `token=` value but the redacted one. */
const SIGNED_LINK = /v1\.eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]{16,}|token=(?!\[redacted\])[^&"\s\\]+/;

/**
 * The built product at LOG_LEVEL=debug, where Slack's Web API client logs every request body: the
 * notices of a Slack owner (DMed, with their links) and of a console owner without a console
 * (written to the log) leave no signed link in the app's log.
 */
describeWith({ redis: true, docker: true })('no signed link is ever written to the log', () => {
  let slack: SlackWebApiFake;
  let run: ReturnType<typeof startTestApp>;
  let url: string;

  beforeAll(async () => {
    slack = await SlackWebApiFake.start();
    run = startTestApp([], {
      LOG_LEVEL: 'debug',
      CLEANUP_INTERVAL: '1s',
      LEASE_WARN_MINUTES: '10',
      LINK_SECRET,
      ...slackFakeEnv(slack),
    });
    url = await run.url();
  });

  afterAll(async () => {
    expect(await run.stop()).toBe(0);
    await slack.close();
    await run.clean();
  });

  it('GIVEN warnings for a Slack owner and for a console owner without a console THEN the DM has its link, and the log none', async () => {
    const ack = await postSlashCommand(url, 'provision busybox 5', slack.responseUrl('logged'));
    expect(ack.status).toBe(200);
    const session = new LinkTokens(LINK_SECRET, Date.now).sign({
      leaseId: '*',
      owner: 'local:ada',
      scope: 'session',
      exp: Date.now() + 600_000,
    });
    const provisioned = await fetch(`${url}/api/provision`, {
      method: 'POST',
      headers: {
        cookie: `cl_session=${session}`,
        'x-requested-by': 'containerlease',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ imageType: 'busybox', durationMinutes: 5 }),
    });
    expect(provisioned.status).toBe(201);
    const local = (await provisioned.json()) as { id: string };

    const dms = () => slack.callsTo('chat.postMessage').map((call) => JSON.stringify(call.body));
    await eventually(() => dms().some((text) => text.includes('ends')), 60_000, 'the Slack warning');
    await eventually(
      () => run.app.stdout.includes(`"leaseId":"${local.id}","text":`),
      60_000,
      'the console owner’s warning in the log',
    );
    expect(dms().find((text) => text.includes('ends'))).toMatch(/\?token=v1\./);

    const lines = run.app.stdout.split('\n').filter((line) => line.startsWith('{'));
    expect(
      lines.some((line) => line.includes('http request body') && line.includes('?token=[redacted]')),
    ).toBe(true);
    expect(lines.find((line) => line.includes(`"leaseId":"${local.id}","text":`))).toContain(
      `/lease logs ${local.id}`,
    );
    expect(lines.filter((line) => SIGNED_LINK.test(line))).toEqual([]);
    expect(run.app.stderr).not.toMatch(SIGNED_LINK);
  }, 120_000);
});
