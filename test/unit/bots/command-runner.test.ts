import { describe, expect, it } from 'vitest';
import { replyToText } from '../../../src/bots/replies/plain-text.js';
import { RuntimeUnavailableError } from '../../../src/core/errors.js';
import { makeBotFixture } from '../../support/bot-fixture.js';

const alice = { owner: 'local:alice', notify: { platform: 'local', user: 'alice' } };
const bob = { owner: 'local:bob', notify: { platform: 'local', user: 'bob' } };

describe('CommandRunner: /lease text in, platform-neutral replies out', () => {
  it('GIVEN provision THEN the reply shows the lease with Extend, Stop, Terminal and Logs actions', async () => {
    const { runner, clock } = makeBotFixture();
    const reply = await runner.runText('/lease provision busybox 60', alice);
    expect(reply.tone).toBe('success');
    const [card] = reply.cards;
    expect(card?.actions.map((action) => action.kind)).toEqual(['extend', 'extend', 'stop', 'link', 'link']);
    expect(
      card?.actions.filter((a) => a.kind === 'extend').map((a) => (a.kind === 'extend' ? a.minutes : 0)),
    ).toEqual([30, 480]);
    const text = replyToText(reply, { now: clock.now(), timeZone: 'UTC' });
    expect(text).toContain('Your busybox container is running');
    expect(text).toContain('Expires: 29 Nov 2026, 13:00 UTC (in 60 min)');
    expect(text).toMatch(/Terminal: http:\/\/lease\.test\/terminal\/[0-9a-z]{10}\?token=/);
    expect(text).toMatch(/Logs: http:\/\/lease\.test\/logs\/[0-9a-z]{10}\?token=/);
  });

  it('GIVEN list, extend, logs and stop THEN each replies about the same lease', async () => {
    const { runner } = makeBotFixture();
    const id = (await runner.runText('/lease new busybox 30', alice)).cards[0]?.leaseId ?? '';
    expect((await runner.runText('/lease ls', alice)).cards.map((card) => card.leaseId)).toEqual([id]);
    expect((await runner.runText(`/lease extend ${id} 30`, alice)).tone).toBe('success');
    expect((await runner.runText(`/lease logs ${id}`, alice)).actions[0]).toMatchObject({
      kind: 'link',
      label: 'Open logs',
    });
    expect((await runner.runText(`/lease rm ${id}`, alice)).tone).toBe('success');
    expect((await runner.runText('/lease ls', alice)).title).toEqual(['You have no leases.']);
  });

  it.each([
    ['/lease provision windows', 'validation', 'Unknown image "windows"'],
    ['/lease provision busybox 0', 'validation', 'Minutes must be at least 1 (got 0).'],
    ['/lease provision busybox 9999', 'validation', 'At most 480 minutes are allowed here (got 9999).'],
    ['/lease stop 7k2m9x4qpz', 'not_found', 'There is no lease 7k2m9x4qpz'],
    ['/lease stop ../etc', 'validation', 'is not a lease id'],
    ['/lease list all', 'forbidden', 'Only admins can list every lease.'],
    ['/lease launch', 'validation', `I don't know "/lease launch".`],
  ])('GIVEN "%s" THEN an error reply with code %s', async (text, code, message) => {
    const { runner } = makeBotFixture();
    const reply = await runner.runText(text, alice);
    expect(reply.tone).toBe('error');
    expect(reply.errorCode).toBe(code);
    expect(replyToText(reply, { now: 0 })).toContain(message);
  });

  it("GIVEN someone else's lease THEN forbidden", async () => {
    const { runner } = makeBotFixture();
    const id = (await runner.runText('/lease new busybox', alice)).cards[0]?.leaseId ?? '';
    const reply = await runner.runText(`/lease stop ${id}`, bob);
    expect(reply).toMatchObject({ tone: 'error', errorCode: 'forbidden' });
  });

  it('GIVEN the engine down THEN a friendly runtime_unavailable reply, never a stack trace', async () => {
    const { runner, runtime } = makeBotFixture();
    runtime.failNext(
      'ensureImage',
      new RuntimeUnavailableError('Docker engine unreachable at unix:///x (ENOENT)'),
    );
    const reply = await runner.runText('/lease new busybox', alice);
    expect(reply).toMatchObject({ tone: 'error', errorCode: 'runtime_unavailable' });
    expect(replyToText(reply, { now: 0 })).not.toMatch(/at .*\.ts:\d+/);
  });

  it('GIVEN a warning notice THEN the reply offers Extend buttons and the terminal and logs links, not Stop', () => {
    const { replies, clock } = makeBotFixture();
    const expiresAt = clock.now() + 10 * 60_000;
    const reply = replies.notice({
      id: `warning:7k2m9x4qpz:${expiresAt}`,
      kind: 'warning',
      leaseId: '7k2m9x4qpz',
      owner: 'local:alice',
      notify: alice.notify,
      imageType: 'busybox',
      image: 'local/busybox:latest',
      containerId: 'c1',
      expiresAt,
      hardCapAt: clock.now() + 1000 * 60_000,
      at: clock.now(),
    });
    expect(reply.tone).toBe('warning');
    expect(reply.actions.map((action) => action.label)).toEqual([
      'Extend +30 min',
      'Extend +480 min',
      'Terminal',
      'Logs',
    ]);
    expect(replyToText(reply, { now: clock.now() })).toContain(
      'Your busybox lease 7k2m9x4qpz ends in 10 min',
    );
  });
});
