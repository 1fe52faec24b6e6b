import { setTimeout as sleep } from 'node:timers/promises';
import Docker from 'dockerode';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DockerRuntime } from '../../src/core/adapters/docker/docker-runtime.js';
import type { LogLine } from '../../src/core/ports/container-runtime.js';
import { type Logger, silentLogger } from '../../src/core/ports/logger.js';
import { LifecycleService } from '../../src/core/services/lifecycle-service.js';
import { InMemoryFinalLogs } from '../doubles/in-memory-final-logs.js';
import { InMemoryLeaseStore } from '../doubles/in-memory-lease-store.js';
import { ManualClock } from '../doubles/manual-clock.js';
import { DockerEngineFake, logFrame } from '../fakes/docker-engine-fake.js';
import { failureOf } from '../support/outcomes.js';

const DEADLINES = { answer: 150, change: 250, stopMargin: 200, pullSilence: 300 };
/** Longer than any deadline here: a call still pending then never had one (a hang guard, not a speed check). */
const GUARD_MS = 10_000;

/** The call's outcome, or a failure saying it was still waiting when the guard ran out. */
async function settled<T>(call: Promise<T>): Promise<T> {
  const guard = sleep(GUARD_MS).then(() => {
    throw new Error(`still waiting after ${GUARD_MS} ms: the call has no deadline`);
  });
  return Promise.race([call, guard]);
}

/** The product's Docker adapter, talking to the fake over its socket, with short deadlines. */
function runtimeOn(engine: DockerEngineFake, deadlines: Partial<typeof DEADLINES> = {}): DockerRuntime {
  return new DockerRuntime(new Docker({ socketPath: engine.socketPath }), `unix://${engine.socketPath}`, {
    ...DEADLINES,
    ...deadlines,
  });
}

async function collect(lines: AsyncIterable<LogLine>): Promise<string[]> {
  const texts: string[] = [];
  for await (const line of lines) texts.push(line.text);
  return texts;
}

describe('Docker calls against an engine that never answers (a real HTTP server on a unix socket)', () => {
  let engine: DockerEngineFake;
  let runtime: DockerRuntime;

  beforeEach(async () => {
    engine = await DockerEngineFake.start();
    runtime = runtimeOn(engine);
  });

  afterEach(() => engine.close());

  const spec = {
    name: 'lease-x',
    image: 'local/busybox:latest',
    labels: {},
    limits: { memoryBytes: 64 * 1024 ** 2, nanoCpus: 1e9, pidsLimit: 64 },
    capAdd: [],
  };

  it.each([
    ['list containers', () => runtime.list([]), 'list containers within 0.15 s'],
    ['inspect the container', () => runtime.inspect('c1'), 'inspect the container within 0.15 s'],
    ['answer a ping', () => runtime.ping(), 'answer a ping within 0.15 s'],
    [
      'inspect the image',
      () => runtime.ensureImage('local/busybox:latest'),
      'inspect the image within 0.15 s',
    ],
    [
      'create (once the engine has said which storage driver it has)',
      () => {
        engine.on(/^GET \/(v[\d.]+\/)?info$/, (_, res) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ Driver: 'overlay2', DriverStatus: [['Backing Filesystem', 'extfs']] }));
        });
        // The engine's answer to `info` must not race its own short deadline on a loaded machine:
        // this case is about create's deadline.
        return runtimeOn(engine, { answer: GUARD_MS / 2 }).create(spec);
      },
      'create the container within 0.25 s',
    ],
    [
      'create, asking the engine first what it supports',
      () => runtime.create(spec),
      'describe itself within 0.15 s',
    ],
    ['check the isolation settings', () => runtime.isolationProblem(), 'describe itself within 0.15 s'],
    ['measure container disks', () => runtime.layerUsage([]), 'describe itself within 0.15 s'],
    ['start', () => runtime.start('c1'), 'start the container within 0.25 s'],
    ['remove', () => runtime.remove('c1'), 'remove the container within 0.25 s'],
    ['stop (its timeout plus the margin)', () => runtime.stop('c1', 1), 'stop the container within 1.2 s'],
    ['read logs', () => collect(runtime.logs('c1', { follow: false, tail: 10 })), 'read logs within 0.15 s'],
    ['open a log stream', () => collect(runtime.logs('c1', { follow: true })), 'follow logs within 0.15 s'],
  ])('GIVEN %s THEN it fails as runtime_unavailable at its deadline, naming it', async (_, call, words) => {
    const error = await settled(failureOf(call()));
    expect(error).toMatchObject({ code: 'runtime_unavailable', details: { engine: 'unresponsive' } });
    expect(error.message).toBe(`Docker engine at unix://${engine.socketPath} did not ${words}: is it hung?`);
  });

  it('GIVEN a call past its deadline THEN its connection is closed, so a hung engine does not collect our sockets', async () => {
    await settled(failureOf(runtime.list([])));
    await settled(failureOf(runtime.stop('c1', 0)));
    await sleep(50);
    expect(await engine.openConnections()).toBe(0);
  });
});

describe('Docker streams have deadlines of their own (a real HTTP server on a unix socket)', () => {
  let engine: DockerEngineFake;
  let runtime: DockerRuntime;
  let pulled: boolean;

  beforeEach(async () => {
    engine = await DockerEngineFake.start();
    runtime = runtimeOn(engine);
    pulled = false;
    engine.on(/^GET \/images\/.+\/json$/, (_, res) => {
      res.writeHead(pulled ? 200 : 404, { 'content-type': 'application/json' });
      res.end(pulled ? '{"Id":"sha256:1"}' : '{"message":"No such image"}');
    });
  });

  afterEach(() => engine.close());

  /** A pull that reports progress `events` times, `everyMs` apart, then stops talking (or ends). */
  function pullReporting(events: number, everyMs: number, end: boolean): void {
    engine.on(/^POST \/images\/create$/, async (_, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      for (let event = 0; event < events; event += 1) {
        res.write(
          `${JSON.stringify({ status: 'Downloading', id: 'layer', progressDetail: { current: event, total: events } })}\n`,
        );
        await sleep(everyMs);
      }
      if (end) {
        pulled = true;
        res.end(`${JSON.stringify({ status: 'Status: Downloaded newer image' })}\n`);
      }
    });
  }

  it('GIVEN a pull that keeps reporting progress for longer than any call deadline THEN it is never cut off', async () => {
    pullReporting(10, 100, true);
    const progress: string[] = [];
    await settled(runtime.ensureImage('local/slow:1', (event) => progress.push(event.status)));
    expect(progress).toHaveLength(11);
  });

  it('GIVEN a pull that goes silent THEN it fails as runtime_unavailable once the silence outlasts its deadline', async () => {
    pullReporting(1, 0, false);
    const error = await settled(failureOf(runtime.ensureImage('local/stuck:1')));
    expect(error).toMatchObject({ code: 'runtime_unavailable' });
    expect(error.message).toBe(
      `Docker engine at unix://${engine.socketPath} did not pull the image within 0.3 s: is it hung?`,
    );
  });

  it('GIVEN a followed log stream that stays quiet for longer than the call deadline THEN it stays open and delivers the next line', async () => {
    engine.on(/^GET \/containers\/c1\/logs$/, async (_, res) => {
      res.writeHead(200, { 'content-type': 'application/vnd.docker.multiplexed-stream' });
      res.flushHeaders();
      await sleep(DEADLINES.answer * 4);
      res.end(logFrame('after a quiet while'));
    });
    expect(await settled(collect(runtime.logs('c1', { follow: true })))).toEqual(['after a quiet while']);
  });
});

describe('a cleanup run against a hung engine', () => {
  it('GIVEN ten due leases THEN the run stops asking after the first failures and gives the rest back, due again', async () => {
    const engine = await DockerEngineFake.start();
    try {
      const clock = new ManualClock(Date.parse('2026-11-29T12:00:00Z'));
      const store = new InMemoryLeaseStore(clock, { warnBeforeMs: 0 });
      for (let i = 0; i < 10; i += 1) {
        const id = `due${String(i).padStart(7, '0')}`;
        await store.create(
          {
            id,
            owner: 'local:alice',
            notify: { platform: 'local', user: 'alice' },
            team: 'local',
            imageType: 'busybox',
            image: 'local/busybox:latest',
            createdAt: clock.now(),
            expiresAt: clock.now() + 60_000,
            hardCapAt: clock.now() + 3_600_000,
          },
          { maxPerUser: 100, maxActive: 100, maxPerTeam: 0, provisionTimeoutMs: 60_000 },
        );
        await store.activate(id, `container-${i}`, clock.now() + 60_000);
      }
      clock.advance(120_000);
      const lines: string[] = [];
      const logger: Logger = { ...silentLogger, error: (_, message) => lines.push(message ?? '') };
      const lifecycle = new LifecycleService({
        store,
        runtime: runtimeOn(engine),
        finalLogs: new InMemoryFinalLogs(),
        clock,
        logger,
        instanceId: 'hung',
        visibilityTimeoutMs: 60_000,
        concurrency: 2,
        stopTimeoutSeconds: 0,
        retry: { attempts: 2, baseDelayMs: 10 },
      });
      const summary = await settled(lifecycle.runCleanup());
      expect(summary).toMatchObject({ removed: 0, failed: 2, skipped: 8 });
      expect(lines).toContain(
        'cleanup run cut short: the Docker engine is unreachable or hung; the next run tries again',
      );
      expect(await store.count()).toBe(10);
      expect((await store.claimDue(100, 60_000)).length).toBe(8);
    } finally {
      await engine.close();
    }
  });
});
