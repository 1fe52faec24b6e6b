import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CommandRecord } from '../../../../src/core/ports/container-activity.js';
import type { SessionSlots } from '../../../../src/core/ports/session-slots.js';
import { type ExecRequest, ExecService } from '../../../../src/core/services/exec-service.js';
import { FakeExec } from '../../../doubles/fake-exec.js';
import { InMemorySessionSlots } from '../../../doubles/in-memory-session-slots.js';
import { makeBotFixture } from '../../../support/bot-fixture.js';

const alice = { platform: 'local', user: 'alice' };

/** `slots` over the fixture's clock; the command's clock is the fixture's too, moved by the test. */
async function setUp(
  slotsOver: (now: () => number) => SessionSlots = (now) => new InMemorySessionSlots(now),
) {
  const fixture = makeBotFixture();
  const now = () => fixture.clock.now();
  const actor = fixture.leases.actor('local:alice');
  const lease = await fixture.leases.provision(actor, { imageType: 'busybox', notify: alice });
  const exec = new FakeExec();
  const records: CommandRecord[] = [];
  const service = new ExecService({
    leases: fixture.leases,
    exec,
    slots: slotsOver(now),
    activity: { terminalOpened() {}, terminalClosed() {}, commandRan: (record) => records.push(record) },
    clock: fixture.clock,
  });
  return { service, exec, actor, lease, records, clock: fixture.clock };
}

describe('ExecService over a fake engine', () => {
  it('GIVEN a command THEN sh -c runs it without a TTY in the lease’s container, and one record names owner, lease, command and exit code', async () => {
    const { service, exec, actor, lease, records } = await setUp();
    exec.script('make test', { output: 'ok\n', exitCode: 2 });
    const result = await service.run(actor, lease.id, { command: '  make test ' });
    expect(result).toMatchObject({ exitCode: 2, output: 'ok\n', truncated: false, timedOut: false });
    expect(exec.spawned[0]).toMatchObject({
      containerId: lease.containerId,
      options: { argv: ['sh', '-c', 'make test'] },
    });
    expect(exec.spawned[0]?.options.tty).toBeUndefined();
    expect(records).toEqual([
      expect.objectContaining({
        lease: { id: lease.id, owner: 'local:alice', team: lease.team, imageType: 'busybox' },
        actor: 'local:alice',
        command: 'make test',
        exitCode: 2,
        timedOut: false,
      }),
    ]);
  });

  it('GIVEN a command that outlives its timeout THEN it is killed and the result says so', async () => {
    const { service, exec, actor, lease } = await setUp();
    exec.script('sleep 99', { output: 'begun\n', hangs: true });
    const result = await service.run(actor, lease.id, { command: 'sleep 99', timeoutSeconds: 1 });
    expect(result).toMatchObject({ exitCode: null, timedOut: true, output: 'begun\n' });
    expect(exec.spawned[0]?.process.killed).toBe(true);
  });

  it('GIVEN a caller that goes away THEN the command is killed', async () => {
    const { service, exec, actor, lease } = await setUp();
    exec.script('sleep 99', { hangs: true });
    const gone = new AbortController();
    const running = service.run(actor, lease.id, { command: 'sleep 99' }, gone.signal);
    setTimeout(() => gone.abort(), 10);
    expect(await running).toMatchObject({ exitCode: null, timedOut: false });
    expect(exec.spawned[0]?.process.killed).toBe(true);
  });

  it('GIVEN a command running THEN a second on the same lease is refused, and allowed once the first ended', async () => {
    const { service, exec, actor, lease } = await setUp();
    exec.script('sleep 99', { hangs: true });
    const gone = new AbortController();
    const first = service.run(actor, lease.id, { command: 'sleep 99' }, gone.signal);
    await new Promise((resolve) => setTimeout(resolve, 10));
    await expect(service.run(actor, lease.id, { command: 'true' })).rejects.toMatchObject({
      code: 'conflict',
      message: `Lease ${lease.id} is running another command; one runs at a time. Wait for it, or use the lease's terminal.`,
    });
    gone.abort();
    await first;
    await expect(service.run(actor, lease.id, { command: 'true' })).resolves.toMatchObject({ exitCode: 0 });
  });

  it('GIVEN more than 1 MiB of output THEN 1 MiB is kept and the rest counted', async () => {
    const { service, exec, actor, lease, records } = await setUp();
    exec.script('yes', { output: 'y\n'.repeat(600_000) });
    const result = await service.run(actor, lease.id, { command: 'yes' });
    expect([result.output.length, result.truncated]).toEqual([1024 * 1024, true]);
    expect(records[0]?.outputBytes).toBe(1_200_000);
  });

  it('GIVEN someone else THEN forbidden', async () => {
    const { service, lease } = await setUp();
    const fixture = makeBotFixture();
    await expect(
      service.run(fixture.leases.actor('local:bob'), lease.id, { command: 'id' }),
    ).rejects.toMatchObject({
      code: 'forbidden',
    });
  });

  it('GIVEN a command of exactly 4096 characters THEN it runs; one more THEN refused naming the limit and the length', async () => {
    const { service, exec, actor, lease } = await setUp();
    const longest = `echo ${'a'.repeat(4091)}`;
    await expect(service.run(actor, lease.id, { command: longest })).resolves.toMatchObject({ exitCode: 0 });
    await expect(service.run(actor, lease.id, { command: `${longest}a` })).rejects.toMatchObject({
      code: 'validation',
      message: 'A command is at most 4096 characters (got 4097); run longer scripts in the terminal.',
      details: { field: 'command' },
    });
    expect(exec.spawned).toHaveLength(1);
  });

  it.each<[request: object, message: string, details: object]>([
    [{ command: 42 }, 'Say which command to run, e.g. uname -a.', { field: 'command' }],
    [{ command: '' }, 'Say which command to run, e.g. uname -a.', { field: 'command' }],
    [{ command: '   ' }, 'Say which command to run, e.g. uname -a.', { field: 'command' }],
    [{ command: 'a\0b' }, 'A command cannot contain NUL characters.', { field: 'command' }],
    [
      { command: 'vim notes' },
      "vim is interactive: it needs a terminal, which a command run from here does not have. Open the lease's terminal instead.",
      { field: 'command', interactive: 'vim' },
    ],
    ...[0, 301, 1.5, -1].map((seconds): [object, string, object] => [
      { command: 'ls', timeoutSeconds: seconds },
      `timeoutSeconds must be a whole number from 1 to 300 (got ${seconds}).`,
      { field: 'timeoutSeconds', max: 300 },
    ]),
    [
      { command: 'ls', timeoutSeconds: '9'.repeat(500) },
      'timeoutSeconds must be a whole number from 1 to 300 (got 99999999999999999999).',
      { field: 'timeoutSeconds', max: 300 },
    ],
  ])(
    'GIVEN %j THEN refused with that message and the field named, before anything runs',
    async (request, message, details) => {
      const { service, exec, actor, lease } = await setUp();
      await expect(service.run(actor, lease.id, request as unknown as ExecRequest)).rejects.toMatchObject({
        code: 'validation',
        message,
        details,
      });
      expect(exec.spawned).toEqual([]);
    },
  );

  it.each([1, 300])('GIVEN a timeout of %i seconds THEN the command runs', async (timeoutSeconds) => {
    const { service, actor, lease } = await setUp();
    await expect(service.run(actor, lease.id, { command: 'true', timeoutSeconds })).resolves.toMatchObject({
      exitCode: 0,
      timedOut: false,
    });
  });

  it('GIVEN a command that runs 1.5 s by the clock THEN its result and its record say 1500 ms', async () => {
    const { service, exec, actor, lease, clock, records } = await setUp();
    exec.script('sleep 99', { hangs: true });
    const gone = new AbortController();
    const running = service.run(actor, lease.id, { command: 'sleep 99' }, gone.signal);
    await new Promise((resolve) => setTimeout(resolve, 10));
    clock.advance(1_500);
    gone.abort();
    expect((await running).durationMs).toBe(1_500);
    expect(records[0]?.durationMs).toBe(1_500);
  });

  it('GIVEN its place cannot be given back (the store is down) THEN the command still answers, and its place lasts its timeout plus a minute', async () => {
    const { service, actor, lease, clock } = await setUp((now) => {
      const slots = new InMemorySessionSlots(now);
      slots.release = async () => {
        throw new Error('redis down');
      };
      return slots;
    });
    await expect(
      service.run(actor, lease.id, { command: 'true', timeoutSeconds: 30 }),
    ).resolves.toMatchObject({
      exitCode: 0,
    });
    clock.advance(90_000 - 1);
    await expect(service.run(actor, lease.id, { command: 'true' })).rejects.toMatchObject({
      code: 'conflict',
    });
    clock.advance(1);
    await expect(service.run(actor, lease.id, { command: 'true' })).resolves.toMatchObject({ exitCode: 0 });
  });

  describe('once a command has ended', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('GIVEN its timeout passes or its caller goes away afterwards THEN it is not killed', async () => {
      const { service, exec, actor, lease } = await setUp();
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      const caller = new AbortController();
      await service.run(actor, lease.id, { command: 'true', timeoutSeconds: 1 }, caller.signal);
      vi.advanceTimersByTime(2_000);
      caller.abort();
      expect(exec.spawned[0]?.process.killed).toBe(false);
    });
  });
});
