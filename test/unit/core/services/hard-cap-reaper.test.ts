import { beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../../../src/core/domain/audit.js';
import {
  LABELS,
  type LabelledLease,
  labelledLeaseOf,
  leaseFromLabels,
} from '../../../../src/core/domain/container-labels.js';
import { MINUTE_MS } from '../../../../src/core/domain/lease.js';
import { noticeFor } from '../../../../src/core/domain/notice.js';
import { claimedName, poolLabels } from '../../../../src/core/domain/pooled-lease-name.js';
import type { ContainerSummary } from '../../../../src/core/ports/container-runtime.js';
import { type HardCapReaperDeps, reapPastHardCap } from '../../../../src/core/services/hard-cap-reaper.js';
import { FakeRuntime } from '../../../doubles/fake-runtime.js';
import { InMemoryLeaseStore } from '../../../doubles/in-memory-lease-store.js';
import { ManualClock } from '../../../doubles/manual-clock.js';
import { RecordingLogger } from '../../../doubles/recording-logger.js';
import { alice } from '../../../support/lease-service-fixture.js';
import { startOrphan } from '../../../support/orphan-container.js';
import { TEST_IMAGE } from '../../../support/services.js';

const START = Date.parse('2026-11-29T12:00:00Z');
const INSTANCE = 'unit';
const OTHER = 'another-installation';
const HARD_CAP = START + 120 * MINUTE_MS;

/**
 * "Never past the hard cap", over in-memory doubles: the fake engine holds containers of this
 * installation and of another on the same engine, and the store is this installation's.
 */
describe('reapPastHardCap', () => {
  let clock: ManualClock;
  let store: InMemoryLeaseStore;
  let runtime: FakeRuntime;
  let logger: RecordingLogger;
  let deps: HardCapReaperDeps;

  beforeEach(() => {
    clock = new ManualClock(START);
    store = new InMemoryLeaseStore(clock, { warnBeforeMs: 0 });
    runtime = new FakeRuntime({ images: [TEST_IMAGE], now: () => clock.now() });
    logger = new RecordingLogger();
    deps = { store, runtime, logger, instanceId: INSTANCE, stopTimeoutSeconds: 1 };
  });

  /** A lease's container with our labels, hard cap HARD_CAP. */
  const leaseContainer = (leaseId: string, instanceId: string) =>
    startOrphan(
      runtime,
      { leaseId, createdAt: START, expiresAt: START + 30 * MINUTE_MS, hardCapAt: HARD_CAP },
      instanceId,
    );
  /** An idle warm pool member, its idle cap `idleCapAt`. */
  const idleMember = async (instanceId: string, idleCapAt: number) => {
    const id = await runtime.create({
      name: `pool-busybox-${instanceId}`,
      image: TEST_IMAGE,
      cmd: ['sh'],
      labels: poolLabels(
        { imageType: 'busybox', imageId: 'sha256:1', createdAt: START, idleCapAt },
        instanceId,
      ),
      limits: { memoryBytes: 1, nanoCpus: 1, pidsLimit: 1 },
      capAdd: [],
    });
    await runtime.start(id);
    return id;
  };
  const present = (id: string) => runtime.containers.has(id);

  it("GIVEN another installation's lease container at its hard cap THEN it is removed, its lease closed as expired and its owner told, once", async () => {
    const id = await leaseContainer('other00001', OTHER);
    expect(await reapPastHardCap(deps, HARD_CAP)).toBe(1);
    expect(present(id)).toBe(false);
    expect(store.notices).toEqual([
      expect.objectContaining({
        kind: 'expired',
        leaseId: 'other00001',
        owner: 'local:alice',
        notify: alice,
        at: HARD_CAP,
      }),
    ]);
    expect(store.audit.entries).toEqual([
      expect.objectContaining({
        actor: SYSTEM_ACTOR,
        action: 'expire',
        leaseId: 'other00001',
        outcome: 'removed',
      }),
    ]);
    expect(logger.warnings).toHaveLength(1);
    expect(logger.where({ action: 'reconcile', status: 'removed' })).toEqual([
      {
        level: 'warn',
        message: 'container removed past its hard cap',
        fields: {
          leaseId: 'other00001',
          containerId: id,
          instance: OTHER,
          hardCapAt: HARD_CAP,
          action: 'reconcile',
          status: 'removed',
          told: true,
        },
      },
    ]);
  });

  it("GIVEN another installation's container a millisecond before its hard cap THEN it is never touched", async () => {
    const id = await leaseContainer('other00002', OTHER);
    expect(await reapPastHardCap(deps, HARD_CAP - 1)).toBe(0);
    expect(present(id)).toBe(true);
    expect(runtime.calls.filter((call) => call.operation === 'stop')).toEqual([]);
    expect(store.notices).toEqual([]);
  });

  it("GIVEN this installation's own lease container past its hard cap THEN it is left to the rest of the reconciliation", async () => {
    const id = await leaseContainer('mine000001', INSTANCE);
    expect(await reapPastHardCap(deps, HARD_CAP + MINUTE_MS)).toBe(0);
    expect(present(id)).toBe(true);
  });

  it("GIVEN this installation's idle pool member at its idle cap THEN it is removed, and nobody is told", async () => {
    const id = await idleMember(INSTANCE, HARD_CAP);
    expect(await reapPastHardCap(deps, HARD_CAP - 1)).toBe(0);
    expect(present(id)).toBe(true);
    expect(await reapPastHardCap(deps, HARD_CAP)).toBe(1);
    expect(present(id)).toBe(false);
    expect(store.notices).toEqual([]);
    expect(
      logger.where({ status: 'removed' }).map((line) => [line.fields.leaseId, line.fields.told]),
    ).toEqual([[undefined, false]]);
  });

  it("GIVEN another installation's claimed pool member past its idle cap THEN it lives to the hard cap its name carries, and its owner is told then", async () => {
    const idleCap = START + 60 * MINUTE_MS;
    const id = await idleMember(OTHER, idleCap);
    const claim = {
      leaseId: 'c1a1med0d1',
      owner: 'local:alice',
      imageType: 'busybox',
      notify: alice,
      createdAt: START + MINUTE_MS,
      expiresAt: START + 31 * MINUTE_MS,
      hardCapAt: HARD_CAP,
    };
    await runtime.rename(id, claimedName(claim));
    expect(await reapPastHardCap(deps, idleCap + MINUTE_MS)).toBe(0);
    expect(await reapPastHardCap(deps, HARD_CAP - 1)).toBe(0);
    expect(present(id)).toBe(true);
    expect(await reapPastHardCap(deps, HARD_CAP)).toBe(1);
    expect(present(id)).toBe(false);
    expect(store.notices).toEqual([expect.objectContaining({ kind: 'expired', leaseId: 'c1a1med0d1' })]);
  });

  it('GIVEN its lease closed a moment ago THEN the container goes, and its owner is not told twice', async () => {
    const id = await leaseContainer('other00003', OTHER);
    const container = (await runtime.list([LABELS.hardCap]))[0] as ContainerSummary;
    const lease = labelledLeaseOf(leaseFromLabels(container.labels) as LabelledLease, container);
    expect(await store.closeOrphan(lease, noticeFor('expired', lease, START))).toBe('closed');
    expect(await reapPastHardCap(deps, HARD_CAP)).toBe(1);
    expect(present(id)).toBe(false);
    expect(store.notices).toHaveLength(1);
    expect(logger.where({ status: 'removed' }).map((line) => line.fields.told)).toEqual([false]);
  });

  it('GIVEN a container whose hard-cap label is not a time THEN it is left alone', async () => {
    const id = await runtime.create({
      name: 'unreadable',
      image: TEST_IMAGE,
      cmd: ['sh'],
      labels: { [LABELS.hardCap]: 'never', [LABELS.instance]: OTHER },
      limits: { memoryBytes: 1, nanoCpus: 1, pidsLimit: 1 },
      capAdd: [],
    });
    expect(await reapPastHardCap(deps, HARD_CAP * 2)).toBe(0);
    expect(present(id)).toBe(true);
  });

  it('GIVEN containers without a hard-cap label THEN they are not ours, and never touched', async () => {
    const id = await runtime.create({
      name: 'someone-else',
      image: TEST_IMAGE,
      cmd: ['sh'],
      labels: { [LABELS.instance]: OTHER },
      limits: { memoryBytes: 1, nanoCpus: 1, pidsLimit: 1 },
      capAdd: [],
    });
    expect(await reapPastHardCap(deps, HARD_CAP * 2)).toBe(0);
    expect(present(id)).toBe(true);
  });
});
