import { describe, expect, it } from 'vitest';
import type { CommandRecord } from '../../../../src/core/ports/container-activity.js';
import { ExecService } from '../../../../src/core/services/exec-service.js';
import { FakeExec } from '../../../doubles/fake-exec.js';
import { InMemorySessionSlots } from '../../../doubles/in-memory-session-slots.js';
import { makeBotFixture } from '../../../support/bot-fixture.js';

const alice = { platform: 'local', user: 'alice' };

async function setUp() {
  const fixture = makeBotFixture();
  const actor = fixture.leases.actor('local:alice');
  const lease = await fixture.leases.provision(actor, { imageType: 'busybox', notify: alice });
  const exec = new FakeExec();
  const records: CommandRecord[] = [];
  const service = new ExecService({
    leases: fixture.leases,
    exec,
    slots: new InMemorySessionSlots(),
    activity: { terminalOpened() {}, terminalClosed() {}, commandRan: (record) => records.push(record) },
    clock: { now: Date.now },
  });
  return { service, exec, actor, lease, records };
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

  it.each([
    [{ command: '' }, 'Say which command'],
    [{ command: 'vim x' }, 'vim is interactive'],
    [{ command: 'ls', timeoutSeconds: 301 }, 'from 1 to 300'],
    [{ command: 'a\0b' }, 'NUL'],
  ])('GIVEN %j THEN refused before anything runs', async (request, message) => {
    const { service, exec, actor, lease } = await setUp();
    await expect(service.run(actor, lease.id, request)).rejects.toMatchObject({
      code: 'validation',
      message: expect.stringContaining(message),
    });
    expect(exec.spawned).toEqual([]);
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
});
