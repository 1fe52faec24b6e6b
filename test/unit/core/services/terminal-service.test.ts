import { describe, expect, it } from 'vitest';
import { RuntimeUnavailableError } from '../../../../src/core/errors.js';
import { silentLogger } from '../../../../src/core/ports/logger.js';
import { TerminalService } from '../../../../src/core/services/terminal-service.js';
import { FakeExec } from '../../../doubles/fake-exec.js';
import { InMemorySessionSlots } from '../../../doubles/in-memory-session-slots.js';
import { InMemoryTerminalTickets } from '../../../doubles/in-memory-terminal-tickets.js';
import { makeBotFixture } from '../../../support/bot-fixture.js';

const alice = { platform: 'local', user: 'alice' };

async function setUp() {
  const fixture = makeBotFixture();
  const now = () => fixture.clock.now();
  const actor = fixture.leases.actor('local:alice');
  const lease = await fixture.leases.provision(actor, { imageType: 'busybox', notify: alice });
  const exec = new FakeExec();
  const opened: string[] = [];
  const terminals = new TerminalService({
    leases: fixture.leases,
    exec,
    tickets: new InMemoryTerminalTickets(now),
    slots: new InMemorySessionSlots(now),
    activity: {
      terminalOpened: (record) => opened.push(record.sessionId),
      terminalClosed() {},
      commandRan() {},
    },
    clock: fixture.clock,
    logger: silentLogger,
    policy: { maxPerLease: 1, idleMinutes: 30 },
  });
  return { fixture, terminals, exec, actor, lease, opened };
}

describe('TerminalService: tickets, and a shell that fails to start', () => {
  it('GIVEN a running lease THEN a ticket good for 60 s, which stands for its caller once, on that lease only', async () => {
    const { fixture, terminals, actor, lease } = await setUp();
    const { ticket, expiresAt } = await terminals.ticket(actor, lease.id);
    expect(expiresAt).toBe(fixture.clock.now() + 60_000);
    expect(await terminals.redeem(ticket, lease.id)).toEqual(actor);
    await expect(terminals.redeem(ticket, lease.id)).rejects.toMatchObject({
      code: 'unauthorized',
      message:
        'This terminal ticket is not valid: a ticket opens one socket, within 60 seconds. Ask for another.',
    });
    const other = await terminals.ticket(actor, lease.id);
    await expect(terminals.redeem(other.ticket, '7k2m9x4qpz')).rejects.toMatchObject({
      code: 'forbidden',
      message: 'This terminal ticket is for another lease.',
    });
  });

  it('GIVEN a ticket redeemed 60 s after it was issued THEN unauthorized; a second earlier THEN the caller', async () => {
    const { fixture, terminals, actor, lease } = await setUp();
    const late = await terminals.ticket(actor, lease.id);
    const timely = await terminals.ticket(actor, lease.id);
    fixture.clock.advance(59_999);
    expect((await terminals.redeem(timely.ticket, lease.id)).owner).toBe('local:alice');
    fixture.clock.advance(1);
    expect(await terminals.redeem(late.ticket, lease.id).catch((error) => error.code)).toBe('unauthorized');
  });

  it('GIVEN a lease whose container is not running THEN no ticket: conflict naming why', async () => {
    const { fixture, terminals, actor, lease } = await setUp();
    await fixture.runtime.stop(lease.containerId);
    await expect(terminals.ticket(actor, lease.id)).rejects.toMatchObject({
      code: 'conflict',
      details: { leaseState: 'stopped' },
    });
  });

  it('GIVEN the shell cannot start THEN the error is the caller’s, nothing is recorded as opened, and its place is given back', async () => {
    const { terminals, exec, actor, lease, opened } = await setUp();
    exec.spawn = async () => {
      throw new RuntimeUnavailableError('engine down');
    };
    const admission = await terminals.admit(actor, lease.id);
    if (!admission.admitted) throw new Error(admission.message);
    await expect(admission.pass.open({ cols: 80, rows: 24 })).rejects.toMatchObject({
      code: 'runtime_unavailable',
    });
    expect(opened).toEqual([]);
    expect((await terminals.admit(actor, lease.id)).admitted).toBe(true);
  });
});
