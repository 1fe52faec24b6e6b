import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { instanceFilter } from '../../src/core/domain/container-labels.js';
import type { ContainerRuntime, ContainerSpec } from '../../src/core/ports/container-runtime.js';
import { codeOf } from '../support/outcomes.js';

export interface RuntimeUnderTest {
  readonly runtime: ContainerRuntime;
  /** An image the engine has locally. */
  readonly image: string;
  /** Removes whatever the test left behind. */
  close(): Promise<void>;
}

/** An id no engine has ever handed out. */
const UNKNOWN_ID = 'f'.repeat(64);

/**
 * What every ContainerRuntime promises core. Runs against the Docker engine and against the
 * FakeRuntime that unit tests use, so the fake cannot drift from the engine it stands for.
 */
export function containerRuntimeContract(make: (instance: string) => Promise<RuntimeUnderTest>): void {
  let subject: RuntimeUnderTest;
  let runtime: ContainerRuntime;
  let instance: string;

  const spec = (leaseId: string, overrides: Partial<ContainerSpec> = {}): ContainerSpec => ({
    name: `contract-${instance}-${leaseId}`,
    image: subject.image,
    cmd: ['sh', '-c', 'while true; do sleep 1; done'],
    labels: { 'io.containerlease.instance': instance, 'io.containerlease.lease': leaseId },
    limits: { memoryBytes: 32 * 1024 ** 2, nanoCpus: 2e8, pidsLimit: 32 },
    capAdd: [],
    ...overrides,
  });
  const started = async (leaseId: string) => {
    const id = await runtime.create(spec(leaseId));
    await runtime.start(id);
    return id;
  };

  beforeEach(async () => {
    instance = `contract-${randomBytes(4).toString('hex')}`;
    subject = await make(instance);
    runtime = subject.runtime;
  });
  afterEach(() => subject.close());

  it('GIVEN the engine THEN it answers a ping', async () => {
    await expect(runtime.ping()).resolves.toBeUndefined();
  });

  it('GIVEN a local image THEN ensureImage resolves; GIVEN one that cannot be had THEN image_unavailable', async () => {
    await expect(runtime.ensureImage(subject.image)).resolves.toBeUndefined();
    expect(await codeOf(runtime.ensureImage('local/contract-does-not-exist:1'))).toBe('image_unavailable');
  });

  it('GIVEN a created and started container THEN inspect and list show it running with its labels', async () => {
    const before = Date.now();
    const id = await started('one');
    const seen = await runtime.inspect(id);
    expect(seen).toMatchObject({ id, image: subject.image, state: 'running' });
    expect(seen?.labels).toMatchObject(spec('one').labels);
    expect(seen?.createdAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect((await runtime.list(instanceFilter(instance))).map((c) => c.id)).toEqual([id]);
  });

  it('GIVEN a running container THEN inspect gives its IPv4 address on its network; once stopped, none', async () => {
    const id = await started('one');
    expect((await runtime.inspect(id))?.address).toMatch(/^\d{1,3}(\.\d{1,3}){3}$/);
    await runtime.stop(id, 0);
    expect((await runtime.inspect(id))?.address).toBeUndefined();
  });

  it('GIVEN label filters THEN list returns the containers carrying every one, a bare key matching any value', async () => {
    const one = await started('one');
    const two = await started('two');
    expect((await runtime.list(instanceFilter(instance, 'two'))).map((c) => c.id)).toEqual([two]);
    const anyLease = await runtime.list([
      `io.containerlease.instance=${instance}`,
      'io.containerlease.lease',
    ]);
    expect(anyLease.map((c) => c.id).sort()).toEqual([one, two].sort());
    expect(await runtime.list(instanceFilter(`${instance}-other`))).toEqual([]);
  });

  it('GIVEN a running container renamed THEN inspect and list show the new name; a name taken is refused', async () => {
    const id = await started('one');
    const other = await started('two');
    expect((await runtime.inspect(id))?.name).toBe(spec('one').name);
    await runtime.rename(id, `${spec('one').name}.claimed`);
    expect((await runtime.inspect(id))?.name).toBe(`${spec('one').name}.claimed`);
    expect((await runtime.list(instanceFilter(instance, 'one')))[0]?.name).toBe(
      `${spec('one').name}.claimed`,
    );
    expect((await runtime.inspect(id))?.state).toBe('running');
    await expect(runtime.rename(other, `${spec('one').name}.claimed`)).rejects.toThrow();
  });

  it('GIVEN a local image THEN imageId names it, the same every time; GIVEN one not local THEN null', async () => {
    const id = await runtime.imageId(subject.image);
    expect(id).toMatch(/^sha256:[0-9a-f]+$/);
    expect(await runtime.imageId(subject.image)).toBe(id);
    expect(await runtime.imageId('local/contract-does-not-exist:1')).toBeNull();
  });

  it('GIVEN a container stopped THEN it is no longer running, and stopping it again is done too', async () => {
    const id = await started('one');
    await runtime.stop(id, 1);
    expect((await runtime.inspect(id))?.state).toBe('exited');
    await expect(runtime.stop(id, 1)).resolves.toBeUndefined();
  });

  it('GIVEN a running container removed THEN it is gone; removing it again, or stopping it, is done', async () => {
    const id = await started('one');
    await runtime.remove(id);
    expect(await runtime.inspect(id)).toBeNull();
    expect(await runtime.list(instanceFilter(instance))).toEqual([]);
    await expect(runtime.remove(id)).resolves.toBeUndefined();
    await expect(runtime.stop(id, 1)).resolves.toBeUndefined();
  });

  it('GIVEN an id the engine never gave THEN inspect is null and stop and remove are done', async () => {
    expect(await runtime.inspect(UNKNOWN_ID)).toBeNull();
    await expect(runtime.stop(UNKNOWN_ID, 1)).resolves.toBeUndefined();
    await expect(runtime.remove(UNKNOWN_ID)).resolves.toBeUndefined();
  });
}
