import { afterEach, describe, expect, it, vi } from 'vitest';
import { RuntimeUnavailableError, StoreUnavailableError } from '../../../../src/core/errors.js';
import type { TerminalOpenRecord, TerminalRecord } from '../../../../src/core/ports/container-activity.js';
import { type Logger, silentLogger } from '../../../../src/core/ports/logger.js';
import type { TerminalTickets } from '../../../../src/core/ports/terminal-tickets.js';
import { TerminalService } from '../../../../src/core/services/terminal-service.js';
import { FakeExec } from '../../../doubles/fake-exec.js';
import { InMemorySessionSlots } from '../../../doubles/in-memory-session-slots.js';
import { RecordingLogger } from '../../../doubles/recording-logger.js';
import { makeBotFixture } from '../../../support/bot-fixture.js';

/** Tickets are Redis's business (tested there); these tests never use one. */
const noTickets: TerminalTickets = { issue: async () => 'unused', redeem: async () => null };

async function setUp(
  idleMinutes = 30,
  stopSettleMs = 3_000,
  logger: Logger = silentLogger,
  slots = new InMemorySessionSlots(),
) {
  const fixture = makeBotFixture();
  const actor = fixture.leases.actor('local:alice');
  const lease = await fixture.leases.provision(actor, {
    imageType: 'busybox',
    notify: { platform: 'local', user: 'alice' },
  });
  const exec = new FakeExec();
  const opened: TerminalOpenRecord[] = [];
  const records: TerminalRecord[] = [];
  const terminals = new TerminalService({
    leases: fixture.leases,
    exec,
    tickets: noTickets,
    slots,
    activity: {
      terminalOpened: (record) => opened.push(record),
      terminalClosed: (record) => records.push(record),
      commandRan() {},
    },
    clock: { now: () => Date.now() },
    logger,
    policy: { maxPerLease: 2, idleMinutes },
    stopSettleMs,
  });
  const open = async () => {
    const admission = await terminals.admit(actor, lease.id);
    if (!admission.admitted) throw new Error(admission.message);
    return admission.pass.open({ cols: 120, rows: 40 });
  };
  return { fixture, terminals, exec, actor, lease, opened, records, open };
}

const SHELL = 'if command -v bash >/dev/null 2>&1; then exec bash -l; fi; exec sh -l';

const drain = async (output: AsyncIterable<Uint8Array>) => {
  for await (const _ of output);
};

describe('TerminalService and TerminalSession over a fake engine', () => {
  it('GIVEN a terminal THEN a login shell starts at the size asked, with TERM, and its bytes are counted both ways', async () => {
    const { exec, open, opened, records, lease } = await setUp();
    exec.script(SHELL, {
      output: 'hello',
      exitCode: 5,
    });
    const session = await open();
    const subject = { id: lease.id, owner: 'local:alice', team: lease.team, imageType: 'busybox' };
    expect(opened).toEqual([{ sessionId: session.id, lease: subject, actor: 'local:alice' }]);
    expect(exec.spawned[0]?.options).toMatchObject({
      tty: { cols: 120, rows: 40 },
      env: { TERM: 'xterm-256color' },
    });
    await session.write(Buffer.from('ls\r'));
    await drain(session.output);
    expect(await session.ended()).toEqual({ kind: 'exit', code: 5 });
    expect(records).toEqual([
      expect.objectContaining({
        sessionId: session.id,
        lease: subject,
        actor: 'local:alice',
        bytesIn: 3,
        bytesOut: 5,
        end: 'exit',
        exitCode: 5,
      }),
    ]);
  });

  it('GIVEN TERMINAL_MAX_PER_LEASE terminals THEN the next is refused naming the limit, and closing one makes room', async () => {
    const { terminals, actor, lease, exec, open } = await setUp();
    exec.script(SHELL, { hangs: true });
    const [first] = [await open(), await open()];
    const third = await terminals.admit(actor, lease.id);
    expect(third).toMatchObject({
      admitted: false,
      reason: 'full',
      message: expect.stringContaining('TERMINAL_MAX_PER_LEASE'),
    });
    await first?.close();
    expect((await terminals.admit(actor, lease.id)).admitted).toBe(true);
  });

  it('GIVEN nothing typed or printed for the idle time THEN the shell is killed and the end says idle', async () => {
    const { exec, open, records } = await setUp(0.001);
    exec.script(SHELL, { hangs: true });
    const session = await open();
    await drain(session.output);
    expect(await session.ended()).toEqual({ kind: 'idle', minutes: 0.001 });
    expect(exec.spawned[0]?.process.killed).toBe(true);
    expect(records[0]?.end).toBe('idle');
  });

  it('GIVEN the lease stopped under the shell THEN the end says the lease ended', async () => {
    const { exec, open, fixture, actor, lease } = await setUp();
    const session = await open();
    await fixture.leases.stop(actor, lease.id);
    await drain(session.output);
    expect(await session.ended()).toEqual({ kind: 'lease-ended' });
    expect(exec.spawned).toHaveLength(1);
  });

  it('GIVEN a shell failed by its runtime (128) as its container dies THEN, once the engine marks the container, the end says it stopped', async () => {
    const { exec, open, fixture } = await setUp();
    exec.script(SHELL, { output: 'sh: can’t fork', exitCode: 128 });
    const session = await open();
    await drain(session.output);
    // The engine marks the container a moment after it closed the shell's connection.
    const [container] = fixture.runtime.running();
    setTimeout(() => void fixture.runtime.stop(container?.id ?? ''), 400);
    expect(await session.ended()).toEqual({ kind: 'container-stopped', state: 'stopped' });
  });

  it('GIVEN a shell whose end the engine cannot tell as its container dies THEN, once the engine marks the container, the end says it stopped', async () => {
    const { exec, open, fixture } = await setUp();
    exec.script(SHELL, { exitCode: null });
    const session = await open();
    await drain(session.output);
    const [container] = fixture.runtime.running();
    setTimeout(() => void fixture.runtime.stop(container?.id ?? ''), 400);
    expect(await session.ended()).toEqual({ kind: 'container-stopped', state: 'stopped' });
  });

  it('GIVEN a shell killed by a signal while its container runs on THEN, after the settle time, the end says it exited with 137', async () => {
    const { exec, open, fixture } = await setUp(30, 600);
    exec.script(SHELL, { exitCode: 137 });
    const session = await open();
    await drain(session.output);
    const started = performance.now();
    expect(await session.ended()).toEqual({ kind: 'exit', code: 137 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(500);
    expect(fixture.runtime.running()).toHaveLength(1);
  });

  it('GIVEN a lease still starting, or someone else THEN refused before any shell', async () => {
    const { terminals, lease, exec, fixture } = await setUp();
    await expect(terminals.admit(fixture.leases.actor('local:bob'), lease.id)).rejects.toMatchObject({
      code: 'forbidden',
    });
    fixture.runtime.vanish(lease.containerId);
    expect(await terminals.admit(fixture.leases.actor('local:alice'), lease.id)).toMatchObject({
      admitted: false,
      reason: 'stopped',
    });
    expect(exec.spawned).toEqual([]);
  });

  it('GIVEN close THEN the shell is killed, the end says closed, and one record says so however often it is closed', async () => {
    const { exec, open, records } = await setUp();
    exec.script(SHELL, { hangs: true });
    const session = await open();
    await Promise.all([session.close(), session.close()]);
    await drain(session.output);
    expect(await session.ended()).toEqual({ kind: 'closed' });
    expect(exec.spawned[0]?.process.killed).toBe(true);
    expect(records.map((record) => [record.end, record.exitCode])).toEqual([['closed', undefined]]);
  });

  it('GIVEN the shell cannot be killed as it closes THEN the operator is warned, and the close is still recorded', async () => {
    const logger = new RecordingLogger();
    const { exec, open, records, lease } = await setUp(30, 3_000, logger);
    exec.script(SHELL, { hangs: true });
    const session = await open();
    const process = exec.spawned[0]?.process;
    if (process) process.kill = async () => Promise.reject(new RuntimeUnavailableError('engine down'));
    await session.close();
    expect(logger.lines).toEqual([
      {
        level: 'warn',
        fields: { leaseId: lease.id, sessionId: session.id, error: 'engine down' },
        message: 'terminal cleanup failed',
      },
    ]);
    expect(records.map((record) => record.end)).toEqual(['closed']);
  });

  describe('on a clock the test moves', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    /** Moves time in steps, so that each timer fires at its own moment. */
    const pass = async (ms: number) => {
      for (let left = ms; left > 0; left -= 500) await vi.advanceTimersByTimeAsync(Math.min(500, left));
    };

    it('GIVEN 70 s of silence as the idle time THEN the shell lives through it, and is killed within a quarter of it more; a byte typed starts it again', async () => {
      const { exec, open } = await setUp(70 / 60);
      exec.script(SHELL, { hangs: true });
      vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
      const session = await open();
      await pass(60_000);
      await session.write(Buffer.from('x'));
      await pass(69_500);
      expect(exec.spawned[0]?.process.killed).toBe(false);
      await pass(500 + 17_500);
      expect(exec.spawned[0]?.process.killed).toBe(true);
      await drain(session.output);
      expect(await session.ended()).toEqual({ kind: 'idle', minutes: 70 / 60 });
    });

    it('GIVEN terminals open past their places’ TTL THEN their places are renewed, so the lease stays full', async () => {
      const { exec, open, terminals, actor, lease } = await setUp();
      exec.script(SHELL, { hangs: true });
      vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
      await open();
      await open();
      await pass(200_000);
      expect(await terminals.admit(actor, lease.id)).toMatchObject({ admitted: false, reason: 'full' });
    });

    it('GIVEN a place that cannot be renewed (the store is down) THEN the operator is warned, and the shell runs on', async () => {
      const logger = new RecordingLogger();
      const slots = new InMemorySessionSlots();
      const { exec, open, lease } = await setUp(30, 3_000, logger, slots);
      exec.script(SHELL, { hangs: true });
      vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
      await open();
      slots.take = async () => Promise.reject(new StoreUnavailableError('redis down'));
      await pass(30_000);
      expect(logger.lines).toEqual([
        {
          level: 'warn',
          fields: { leaseId: lease.id, error: 'redis down' },
          message: 'terminal place not renewed',
        },
      ]);
      expect(exec.spawned[0]?.process.killed).toBe(false);
    });
  });
});
