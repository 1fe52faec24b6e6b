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

  it('GIVEN provision with port=8000 and open THEN each reply carries that port’s link, signed for that lease and port alone, for the caller', async () => {
    const { runner, clock, tokens } = makeBotFixture();
    const reply = await runner.runText('/lease provision busybox 60 port=8000', alice);
    const id = reply.cards[0]?.leaseId ?? '';
    expect(reply).toMatchObject({ tone: 'success', ephemeral: true });
    const [action] = reply.actions;
    expect(action).toMatchObject({ kind: 'link', label: 'Open port 8000' });
    const url = new URL(action?.kind === 'link' ? action.url : '');
    expect(`${url.origin}${url.pathname}`).toBe(`http://ports.test/${id}/8000/`);
    const token = url.searchParams.get('cl_token') ?? '';
    expect(tokens.verify(token, { scope: 'port', leaseId: id, port: 8000 })).toMatchObject({ ok: true });
    expect(tokens.verify(token, { scope: 'port', leaseId: id, port: 8001 })).toEqual({
      ok: false,
      error: 'wrong_port',
    });
    expect(tokens.verify(token, { scope: 'logs', leaseId: id })).toEqual({ ok: false, error: 'wrong_scope' });

    const opened = await runner.runText(`/lease open ${id} 3000`, alice);
    expect(opened.title).toEqual(['Port ', { code: '3000' }, ' of lease ', { code: id }]);
    expect(opened.actions[0]).toMatchObject({ kind: 'link', label: 'Open port 3000' });
    expect(replyToText(opened, { now: clock.now(), timeZone: 'UTC' })).toContain('keep it to yourself');
    expect(await runner.runText(`/lease open ${id} 3000`, bob)).toMatchObject({
      tone: 'error',
      errorCode: 'forbidden',
    });
    expect(await runner.runText('/lease open 7k2m9x4qpz 3000', alice)).toMatchObject({
      errorCode: 'not_found',
    });
    const bad = await runner.runText(`/lease open ${id} 70000`, alice);
    expect(bad).toMatchObject({ tone: 'error', errorCode: 'validation' });
    expect(replyToText(bad, { now: 0 })).toContain('"70000" is not a port (a whole number from 1 to 65535');
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

describe('CommandRunner: /lease admin, for ADMINS only', () => {
  const admin = { owner: 'local:admin', notify: { platform: 'local', user: 'admin' } };
  const text = (reply: Parameters<typeof replyToText>[0]) => replyToText(reply, { now: 0, timeZone: 'UTC' });

  it.each([
    ['/lease admin stop 7k2m9x4qpz', 'Only admins (ADMINS) can stop leases as an admin.'],
    ['/lease admin list', 'Only admins (ADMINS) can list every lease.'],
    ['/lease admin audit 7k2m9x4qpz', 'Only admins (ADMINS) can read the audit trail.'],
    ['/lease admin usage', 'Only admins (ADMINS) can see usage.'],
  ])(
    'GIVEN a non-admin typing "%s" THEN a forbidden reply saying only admins can',
    async (command, message) => {
      const { runner, store } = makeBotFixture();
      const reply = await runner.runText(command, alice);
      expect(reply).toMatchObject({ tone: 'error', errorCode: 'forbidden' });
      expect(text(reply)).toContain(message);
      expect(store.audit.entries).toEqual([]);
    },
  );

  it("GIVEN an admin stopping someone's lease with a reason THEN it is gone, the owner is told who and why, and the trail says so", async () => {
    const { runner, store, replies } = makeBotFixture();
    const id = (await runner.runText('/lease new busybox 30', alice)).cards[0]?.leaseId ?? '';
    const reply = await runner.runText(`/lease admin stop ${id} runaway   build`, admin);
    expect(reply.tone).toBe('success');
    expect(await store.get(id)).toBeNull();
    expect(store.notices).toHaveLength(1);
    const [notice] = store.notices;
    expect(notice).toMatchObject({
      kind: 'stopped',
      leaseId: id,
      owner: 'local:alice',
      stoppedBy: 'local:admin',
      reason: 'runaway build',
    });
    const told = text(replies.notice(notice ?? ({} as never)));
    expect(told).toContain(`Your busybox lease ${id} was stopped by local:admin.`);
    expect(told).toContain('Reason: runaway build');
    expect(store.audit.entries.at(-1)).toMatchObject({
      action: 'stop',
      actor: 'local:admin',
      platform: 'local',
      owner: 'local:alice',
      params: { reason: 'runaway build' },
      outcome: 'removed',
    });
  });

  it('GIVEN an owner stopping their own lease THEN nobody is told anything', async () => {
    const { runner, store } = makeBotFixture();
    const id = (await runner.runText('/lease new busybox 30', alice)).cards[0]?.leaseId ?? '';
    await runner.runText(`/lease stop ${id}`, alice);
    expect(store.notices).toEqual([]);
    expect(store.audit.entries.at(-1)).toMatchObject({ action: 'stop', actor: 'local:alice' });
  });

  it('GIVEN a reason longer than the limit THEN a validation reply naming it, and the lease runs on', async () => {
    const { runner, store } = makeBotFixture();
    const id = (await runner.runText('/lease new busybox 30', alice)).cards[0]?.leaseId ?? '';
    const reply = await runner.runText(`/lease admin stop ${id} ${'x'.repeat(201)}`, admin);
    expect(reply).toMatchObject({ tone: 'error', errorCode: 'validation' });
    expect(text(reply)).toContain('A reason is at most 200 characters (this one has 201).');
    expect((await store.get(id))?.status).toBe('active');
  });

  it('GIVEN admin list and its alias list all THEN every lease with its owner, team and time left', async () => {
    const { runner, clock } = makeBotFixture();
    await runner.runText('/lease new busybox 30', alice);
    await runner.runText('/lease new busybox 60', bob);
    clock.advance(10 * 60_000);
    const reply = await runner.runText('/lease admin list', admin);
    expect(reply.title).toEqual(['2 leases in all']);
    const fields = reply.cards.map((card) => Object.fromEntries(card.fields.map((f) => [f.label, f.value])));
    expect(fields.map((f) => [f.Owner, f.Team, f['Time left']])).toEqual([
      [[{ code: 'local:alice' }], [{ code: 'local' }], ['20 min']],
      [[{ code: 'local:bob' }], [{ code: 'local' }], ['50 min']],
    ]);
    expect(await runner.runText('/lease list all', admin)).toEqual(reply);
  });

  it("GIVEN admin audit THEN a lease's changes, oldest first, each with who, what and the outcome", async () => {
    const { runner } = makeBotFixture();
    const id = (await runner.runText('/lease new busybox 30', alice)).cards[0]?.leaseId ?? '';
    await runner.runText(`/lease extend ${id} 15`, alice);
    const lines = text(await runner.runText(`/lease admin audit ${id}`, admin));
    expect(lines).toContain(`Audit trail of lease ${id}`);
    expect(lines).toMatch(
      /provision by local:alice: provisioning \(minutes=30\)[\s\S]*provision by local:alice: active[\s\S]*extend by local:alice: extended \(expiresAt=\d+ minutes=15\)/,
    );
    expect(text(await runner.runText('/lease admin audit 7k2m9x4qpz', admin))).toContain(
      'No audit entries for lease 7k2m9x4qpz.',
    );
    expect(await runner.runText('/lease admin audit ../x', admin)).toMatchObject({ errorCode: 'validation' });
  });

  it('GIVEN leases that ran THEN admin usage sums lease-minutes by team, owner and image over the days asked', async () => {
    const { runner, clock } = makeBotFixture();
    const first = (await runner.runText('/lease new busybox 60', alice)).cards[0]?.leaseId ?? '';
    await runner.runText('/lease new busybox 60', bob);
    clock.advance(30 * 60_000);
    await runner.runText(`/lease stop ${first}`, alice);
    clock.advance(15 * 60_000);
    const usage = text(await runner.runText('/lease admin usage 1', admin));
    expect(usage).toContain('Usage over the last 1 day: 75 lease-minutes');
    expect(usage).toContain('local 75 min in 2 leases');
    expect(usage).toContain('local:bob 45 min in 1 lease');
    expect(usage).toContain('local:alice 30 min in 1 lease');
    expect(usage).toContain('busybox 75 min in 2 leases');
    const refused = await runner.runText('/lease admin usage 91', admin);
    expect(refused).toMatchObject({ errorCode: 'validation' });
    expect(text(refused)).toContain('from 1 to 90');
  });
});
