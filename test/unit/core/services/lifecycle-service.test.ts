import { describe, expect, it } from 'vitest';
import { createLifecycleService } from '../../../../src/composition/services.js';
import { MINUTE_MS } from '../../../../src/core/domain/lease.js';
import { silentLogger } from '../../../../src/core/ports/logger.js';
import { FakeRuntime } from '../../../doubles/fake-runtime.js';
import { InMemoryFinalLogs } from '../../../doubles/in-memory-final-logs.js';
import { InMemoryLeaseStore } from '../../../doubles/in-memory-lease-store.js';
import { ManualClock } from '../../../doubles/manual-clock.js';
import {
  alice,
  makeLeaseService,
  TEST_CATALOG,
  TEST_SETTINGS,
} from '../../../support/lease-service-fixture.js';

const START = Date.parse('2026-11-29T12:00:00Z');

describe('LifecycleService with in-memory doubles', () => {
  it('GIVEN more due leases than one claim batch (100) THEN one run removes them all and tells each owner once', async () => {
    const clock = new ManualClock(START);
    const store = new InMemoryLeaseStore(clock, { warnBeforeMs: 10 * MINUTE_MS });
    const runtime = new FakeRuntime({
      images: [TEST_CATALOG.get('busybox')?.image ?? ''],
      now: () => clock.now(),
    });
    const leases = makeLeaseService({
      store,
      runtime,
      clock,
      instanceId: 'unit',
      policy: { maxPerUser: 150, maxActive: 150 },
    });
    for (let i = 0; i < 101; i += 1) {
      await leases.provision(leases.actor('local:alice'), {
        imageType: 'busybox',
        minutes: 1,
        notify: alice,
      });
    }
    clock.advance(2 * MINUTE_MS);
    const lifecycle = createLifecycleService(TEST_SETTINGS, {
      store,
      runtime,
      finalLogs: new InMemoryFinalLogs(),
      clock,
      logger: silentLogger,
      instanceId: 'unit',
    });

    expect(await lifecycle.runCleanup()).toMatchObject({ removed: 101, failed: 0, skipped: 0, released: 0 });
    expect(runtime.running()).toEqual([]);
    expect(await store.listAll()).toEqual([]);
    const expired = store.notices
      .filter((notice) => notice.kind === 'expired')
      .map((notice) => notice.leaseId);
    expect(new Set(expired).size).toBe(101);
    expect(expired).toHaveLength(101);
  });
});
