import { afterAll, afterEach, expect, it } from 'vitest';
import { RedisKeys } from '../../src/core/adapters/redis/keys.js';
import { RedisFinalLogs } from '../../src/core/adapters/redis/redis-final-logs.js';
import { MAX_LOG_LINE_CHARS } from '../../src/core/ports/container-runtime.js';
import { FINAL_LOG_LINES } from '../../src/core/ports/final-logs.js';
import { describeWith, flushPrefix, testRedis, uniquePrefix } from '../support/services.js';

describeWith({ redis: true })('Final logs in Redis', () => {
  const redis = testRedis();
  const prefix = uniquePrefix();
  const keys = new RedisKeys(prefix);
  const finalLogs = new RedisFinalLogs(redis, keys);
  const lease = {
    id: 'abcdefghjk',
    owner: 'slack:T1:U1',
    imageType: 'busybox',
    hardCapAt: 1_800_000_000_000,
  };
  afterEach(() => flushPrefix(redis, prefix));
  afterAll(() => redis.disconnect());

  it('GIVEN saved lines THEN they load with the lease they belong to, a line too long cut and marked', async () => {
    await finalLogs.save(lease, [
      { stream: 'stdout', ts: 't1', text: 'hello' },
      { stream: 'stderr', ts: 't2', text: 'x'.repeat(5000) },
    ]);
    expect(await finalLogs.load(lease.id)).toEqual([
      { stream: 'stdout', ts: 't1', text: 'hello' },
      { stream: 'stderr', ts: 't2', text: 'x'.repeat(4096), cut: true },
    ]);
    expect(await finalLogs.lease(lease.id)).toEqual(lease);
    expect(await redis.pttl(keys.finalLogs(lease.id))).toBeGreaterThan(23 * 3_600_000);
  });

  it('GIVEN more lines than FINAL_LOG_LINES THEN the last ones are kept, and a line exactly at the length limit whole', async () => {
    const lines = Array.from({ length: FINAL_LOG_LINES + 5 }, (_, index) => ({
      stream: 'stdout' as const,
      ts: `t${index}`,
      text: index === FINAL_LOG_LINES + 4 ? 'y'.repeat(MAX_LOG_LINE_CHARS) : `line ${index}`,
    }));
    await finalLogs.save(lease, lines);
    expect(await finalLogs.load(lease.id)).toEqual(lines.slice(5));
  });

  it('GIVEN final logs kept before the lease was kept with them THEN the lines load, and no lease', async () => {
    await redis.set(keys.finalLogs(lease.id), JSON.stringify([{ stream: 'stdout', ts: 't1', text: 'old' }]));
    expect(await finalLogs.load(lease.id)).toEqual([{ stream: 'stdout', ts: 't1', text: 'old' }]);
    expect(await finalLogs.lease(lease.id)).toBeNull();
  });

  it('GIVEN nothing kept THEN null', async () => {
    expect(await finalLogs.load('zzzzzzzzzz')).toBeNull();
    expect(await finalLogs.lease('zzzzzzzzzz')).toBeNull();
  });
});
