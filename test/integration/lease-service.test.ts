import type Docker from 'dockerode';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeEach, expect, it } from 'vitest';
import { connectDocker } from '../../src/core/adapters/docker/docker-connection.js';
import { DockerRuntime } from '../../src/core/adapters/docker/docker-runtime.js';
import { RedisKeys } from '../../src/core/adapters/redis/keys.js';
import { connectRedis } from '../../src/core/adapters/redis/redis-connection.js';
import { RedisFinalLogs } from '../../src/core/adapters/redis/redis-final-logs.js';
import { RedisLeaseStore } from '../../src/core/adapters/redis/redis-lease-store.js';
import { MINUTE_MS } from '../../src/core/domain/lease.js';
import { RuntimeUnavailableError } from '../../src/core/errors.js';
import { systemClock } from '../../src/core/ports/clock.js';
import type { LeaseService } from '../../src/core/services/lease-service.js';
import { alice, makeLeaseService } from '../support/lease-service-fixture.js';
import { codeOf, failureOf } from '../support/outcomes.js';
import {
  describeWith,
  flushPrefix,
  removeInstanceContainers,
  testDocker,
  testRedis,
  uniqueInstance,
  uniquePrefix,
} from '../support/services.js';

describeWith({ redis: true, docker: true })('LeaseService on real Redis and a real Docker engine', () => {
  const docker: Docker = testDocker();
  const redis: Redis = testRedis();
  let prefix: string;
  let instanceId: string;
  let keys: RedisKeys;
  let service: LeaseService;
  const owner = () => service.actor('local:alice');

  const build = (
    runtime = new DockerRuntime(docker, 'test'),
    store = new RedisLeaseStore(redis, keys, { warnBeforeMs: 10 * MINUTE_MS }),
  ) =>
    makeLeaseService({
      store,
      runtime,
      clock: systemClock,
      instanceId,
      finalLogs: new RedisFinalLogs(redis, keys),
    });

  const ourContainers = () =>
    docker.listContainers({ all: true, filters: { label: [`io.containerlease.instance=${instanceId}`] } });

  beforeEach(() => {
    prefix = uniquePrefix();
    instanceId = uniqueInstance();
    keys = new RedisKeys(prefix);
    service = build();
  });

  afterEach(async () => {
    await removeInstanceContainers(docker, instanceId);
    await flushPrefix(redis, prefix);
  });

  afterAll(() => redis.disconnect());

  it('GIVEN provision THEN a running container carries every label and hardening setting', async () => {
    const lease = await service.provision(owner(), { imageType: 'busybox', minutes: 30, notify: alice });
    const info = await docker.getContainer(lease.containerId).inspect();
    expect(info.State.Running).toBe(true);
    // Ours, all eight and nothing else under our prefix (the image may bring labels of its own).
    const ours = Object.entries(info.Config.Labels ?? {}).filter(([key]) =>
      key.startsWith('io.containerlease.'),
    );
    expect(Object.fromEntries(ours)).toEqual({
      'io.containerlease.lease': lease.id,
      'io.containerlease.owner': 'local:alice',
      'io.containerlease.expires-at': new Date(lease.expiresAt).toISOString(),
      'io.containerlease.hard-cap': new Date(lease.hardCapAt).toISOString(),
      'io.containerlease.instance': instanceId,
      'io.containerlease.image-type': 'busybox',
      'io.containerlease.notify': JSON.stringify(alice),
      'io.containerlease.created-at': new Date(lease.createdAt).toISOString(),
    });
    const host = info.HostConfig;
    expect(host.CapDrop).toEqual(['ALL']);
    expect(host.SecurityOpt).toEqual(['no-new-privileges:true']);
    expect(host.Privileged).toBe(false);
    expect(host.Init).toBe(true);
    expect(host.AutoRemove).toBe(false);
    expect(host.Memory).toBe(64 * 1024 ** 2);
    expect(host.NanoCpus).toBe(5e8);
    expect(host.PidsLimit).toBe(64);
    expect(host.Binds ?? []).toEqual([]);
    expect(info.Mounts).toEqual([]);
    expect(await redis.zscore(keys.expiry(), lease.id)).toBe(String(lease.expiresAt));
  });

  it('GIVEN leases THEN list and get show them with their container state', async () => {
    const lease = await service.provision(owner(), { imageType: 'busybox', notify: alice });
    expect((await service.list(owner())).map((l) => [l.id, l.containerState])).toEqual([
      [lease.id, 'running'],
    ]);
    expect(await service.get(owner(), lease.id)).toMatchObject({ id: lease.id, containerState: 'running' });
  });

  it('GIVEN stop THEN the container and every record are gone, and its last lines are kept for its log page', async () => {
    const lease = await service.provision(owner(), { imageType: 'busybox', notify: alice });
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    await service.stop(owner(), lease.id);
    expect((await new RedisFinalLogs(redis, keys).load(lease.id))?.[0]?.text).toBe('line 1');
    expect(await ourContainers()).toEqual([]);
    expect(await redis.exists(keys.lease(lease.id), keys.container(lease.containerId))).toBe(0);
    expect(await redis.zscore(keys.expiry(), lease.id)).toBeNull();
    expect(await redis.smembers(keys.owner('local:alice'))).toEqual([]);
  });

  it('GIVEN extend THEN the expiry and its sorted-set score move, and the hard cap refuses', async () => {
    const lease = await service.provision(owner(), { imageType: 'busybox', minutes: 480, notify: alice });
    const extended = await service.extend(owner(), lease.id, 480);
    expect(extended.expiresAt).toBe(lease.expiresAt + 480 * MINUTE_MS);
    expect(Number(await redis.zscore(keys.expiry(), lease.id))).toBe(extended.expiresAt);
    // The hard cap counts from creation, a moment before the expiry was set: 480 more would pass it.
    expect(await codeOf(service.extend(owner(), lease.id, 480))).toBe('limit_exceeded');
    expect(Number(await redis.zscore(keys.expiry(), lease.id))).toBe(extended.expiresAt);
    await service.extend(owner(), lease.id, 479);
    expect(await codeOf(service.extend(owner(), lease.id, 1))).toBe('limit_exceeded');
  });

  it('GIVEN 20 concurrent provisions against a quota of 3 THEN exactly 3 leases and 3 containers', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () =>
        codeOf(service.provision(owner(), { imageType: 'busybox', notify: alice })),
      ),
    );
    expect(outcomes.filter((o) => o === 'resolved')).toHaveLength(3);
    expect(outcomes.filter((o) => o === 'quota_exceeded')).toHaveLength(17);
    expect(await ourContainers()).toHaveLength(3);
    expect(await redis.scard(keys.owner('local:alice'))).toBe(3);
  });

  it('GIVEN an image that does not exist THEN image_unavailable leaves no lease and no container', async () => {
    const error = await failureOf(service.provision(owner(), { imageType: 'missing', notify: alice }));
    expect(error.code).toBe('image_unavailable');
    expect(await ourContainers()).toEqual([]);
    expect(await redis.zcard(keys.expiry())).toBe(0);
    expect(await redis.scard(keys.owner('local:alice'))).toBe(0);
  });

  it('GIVEN the engine fails to start a created container THEN neither the container nor the lease remains', async () => {
    class FailingStart extends DockerRuntime {
      override async start(): Promise<void> {
        throw new RuntimeUnavailableError('start refused (injected)');
      }
    }
    const error = await failureOf(
      build(new FailingStart(docker, 'test')).provision(owner(), { imageType: 'busybox', notify: alice }),
    );
    expect(error.code).toBe('runtime_unavailable');
    expect(await ourContainers()).toEqual([]);
    expect(await redis.zcard(keys.expiry())).toBe(0);
    expect(await redis.scard(keys.owner('local:alice'))).toBe(0);
  });

  it('GIVEN the Docker daemon unreachable THEN runtime_unavailable says where it looked, and no lease remains', async () => {
    const dead = connectDocker('unix:///tmp/containerlease-no-docker.sock');
    const broken = build(new DockerRuntime(dead.docker, dead.where));
    const error = await failureOf(broken.provision(owner(), { imageType: 'busybox', notify: alice }));
    expect(error.code).toBe('runtime_unavailable');
    expect(error.message).toContain('unix:///tmp/containerlease-no-docker.sock');
    expect(await redis.zcard(keys.expiry())).toBe(0);
  });

  it('GIVEN Redis down THEN store_unavailable says where it looked', async () => {
    const down = connectRedis('redis://127.0.0.1:1', () => {});
    const broken = build(undefined, new RedisLeaseStore(down, keys, { warnBeforeMs: 0 }));
    const error = await failureOf(broken.provision(owner(), { imageType: 'busybox', notify: alice }));
    down.disconnect();
    expect(error.code).toBe('store_unavailable');
    expect(error.message).toContain('redis://127.0.0.1:1');
    expect(await ourContainers()).toEqual([]);
  });

  it('GIVEN a container removed behind our back THEN get reports it gone', async () => {
    const lease = await service.provision(owner(), { imageType: 'busybox', notify: alice });
    await docker.getContainer(lease.containerId).remove({ force: true });
    expect((await service.get(owner(), lease.id)).containerState).toBe('gone');
  });
});
