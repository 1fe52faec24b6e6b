import { CommandRunner } from '../../src/bots/command-runner.js';
import { ReplyBuilder } from '../../src/bots/replies/reply-builder.js';
import { createAdminService } from '../../src/composition/services.js';
import { LinkTokens } from '../../src/core/links/link-tokens.js';
import { SignedLinks } from '../../src/core/links/signed-links.js';
import { silentLogger } from '../../src/core/ports/logger.js';
import { auditedActivity } from '../../src/core/services/audited-activity.js';
import { ExecService } from '../../src/core/services/exec-service.js';
import type { LeaseService } from '../../src/core/services/lease-service.js';
import { FakeExec } from '../doubles/fake-exec.js';
import { FakeRuntime } from '../doubles/fake-runtime.js';
import { InMemoryLeaseStore } from '../doubles/in-memory-lease-store.js';
import { InMemorySessionSlots } from '../doubles/in-memory-session-slots.js';
import { ManualClock } from '../doubles/manual-clock.js';
import { makeLeaseService, TEST_CATALOG, TEST_LINK_SECRET, TEST_SETTINGS } from './lease-service-fixture.js';

/** The chat front-ends' shared pieces over in-memory doubles: what a bot adapter test needs. */
export function makeBotFixture(start = Date.parse('2026-11-29T12:00:00Z')) {
  const clock = new ManualClock(start);
  const store = new InMemoryLeaseStore(clock, { warnBeforeMs: 10 * 60_000 });
  const runtime = new FakeRuntime({
    images: [TEST_CATALOG.get('busybox')?.image ?? ''],
    now: () => clock.now(),
  });
  const leases: LeaseService = makeLeaseService({ store, runtime, clock, instanceId: 'bots' });
  const now = () => clock.now();
  const tokens = new LinkTokens(TEST_LINK_SECRET, now);
  const links = new SignedLinks(tokens, 'http://lease.test', now, { url: 'http://ports.test' });
  const replies = new ReplyBuilder({ images: () => leases.images(), links, clock, defaultMaxMinutes: 480 });
  const exec = new FakeExec();
  const execService = new ExecService({
    leases,
    exec,
    slots: new InMemorySessionSlots(now),
    activity: auditedActivity(store.audit, silentLogger),
    clock,
  });
  const admin = createAdminService(TEST_SETTINGS, { leases, audit: store.audit, clock });
  const runner = new CommandRunner(leases, replies, silentLogger, execService, admin);
  return { clock, store, runtime, exec, leases, admin, tokens, links, replies, runner };
}
