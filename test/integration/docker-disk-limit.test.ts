import Docker from 'dockerode';
import { afterEach, describe, expect, it } from 'vitest';
import { DockerRuntime } from '../../src/core/adapters/docker/docker-runtime.js';
import { BLKIO_WEIGHT, NOFILE_LIMIT } from '../../src/core/adapters/docker/lease-isolation.js';
import { DockerEngineFake } from '../fakes/docker-engine-fake.js';

const LIMIT = 2048 * 1024 ** 2;
const SPEC = {
  name: 'lease-x',
  image: 'local/busybox:latest',
  labels: { 'io.containerlease.lease': 'x' },
  limits: { memoryBytes: 64 * 1024 ** 2, nanoCpus: 5e8, pidsLimit: 64 },
  capAdd: [],
};

/** What the fake engine was asked to create, and how many times it was asked to list with sizes. */
interface Seen {
  creates: Array<{ HostConfig: Record<string, unknown> }>;
  sizedLists: number;
}

/**
 * An engine with the given storage driver; when `refusesSize`, it refuses `StorageOpt` as overlay2
 * on a file system without quotas does.
 */
async function engineWith(
  driver: string,
  backing: string,
  refusesSize = false,
): Promise<{ fake: DockerEngineFake; runtime: DockerRuntime; seen: Seen }> {
  const fake = await DockerEngineFake.start();
  const seen: Seen = { creates: [], sizedLists: 0 };
  const json = (res: import('node:http').ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  fake.on(/^GET \/(v[\d.]+\/)?info$/, (_req, res) =>
    json(res, 200, {
      Driver: driver,
      DriverStatus: [['Backing Filesystem', backing]],
      Runtimes: { runc: {} },
    }),
  );
  fake.on(/^POST \/(v[\d.]+\/)?containers\/create$/, (req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => {
      const create = JSON.parse(body) as { HostConfig: Record<string, unknown> };
      seen.creates.push(create);
      if (refusesSize && create.HostConfig.StorageOpt)
        json(res, 500, {
          message: "--storage-opt is supported only for overlay over xfs with 'pquota' mount option",
        });
      else json(res, 201, { Id: `c${seen.creates.length}`, Warnings: [] });
    });
  });
  fake.on(/^GET \/(v[\d.]+\/)?containers\/json$/, (req, res) => {
    if (new URL(req.url ?? '', 'http://engine').searchParams.get('size') === 'true') seen.sizedLists += 1;
    json(res, 200, [{ Id: 'c1', Labels: { 'io.containerlease.lease': 'x' }, SizeRw: 5 * 1024 ** 2 }]);
  });
  const isolation = { network: 'leases', diskLimitBytes: LIMIT, runtime: 'runsc' };
  const runtime = new DockerRuntime(
    new Docker({ socketPath: fake.socketPath }),
    'the fake engine',
    {},
    isolation,
  );
  return { fake, runtime, seen };
}

describe('the disk limit and the isolation a container is created with, by what the engine supports', () => {
  let fake: DockerEngineFake | undefined;
  afterEach(() => fake?.close());

  it('GIVEN a driver that caps layers (btrfs) THEN StorageOpt.size carries the limit and nothing is measured', async () => {
    const engine = await engineWith('btrfs', 'btrfs');
    fake = engine.fake;
    await engine.runtime.create(SPEC);
    expect(engine.seen.creates[0]?.HostConfig).toMatchObject({
      StorageOpt: { size: String(LIMIT) },
      NetworkMode: 'leases',
      Runtime: 'runsc',
      Ulimits: [NOFILE_LIMIT],
      BlkioWeight: BLKIO_WEIGHT,
    });
    expect(await engine.runtime.layerUsage(['io.containerlease.instance=i'])).toBeNull();
    expect(engine.seen.sizedLists).toBe(0);
  });

  it('GIVEN overlay2 on xfs without quotas THEN the refused StorageOpt is dropped once (the container is still made) and the layers are measured in one call', async () => {
    const engine = await engineWith('overlay2', 'xfs', true);
    fake = engine.fake;
    expect(await engine.runtime.create(SPEC)).toBe('c2');
    expect(await engine.runtime.create(SPEC)).toBe('c3');
    expect(engine.seen.creates.map((create) => create.HostConfig.StorageOpt)).toEqual([
      { size: String(LIMIT) },
      undefined,
      undefined,
    ]);
    expect(await engine.runtime.layerUsage(['io.containerlease.instance=i'])).toEqual([
      { id: 'c1', labels: { 'io.containerlease.lease': 'x' }, writtenBytes: 5 * 1024 ** 2 },
    ]);
    expect(engine.seen.sizedLists).toBe(1);
  });

  it('GIVEN overlay2 on ext4 (this machine) THEN StorageOpt is never sent and the layers are measured', async () => {
    const engine = await engineWith('overlay2', 'extfs', true);
    fake = engine.fake;
    expect(await engine.runtime.create(SPEC)).toBe('c1');
    expect(engine.seen.creates[0]?.HostConfig.StorageOpt).toBeUndefined();
    expect(await engine.runtime.layerUsage(['io.containerlease.instance=i'])).toHaveLength(1);
  });
});
