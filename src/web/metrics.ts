import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { ERROR_CODES } from '../core/errors.js';
import type { Metrics, PoolMetrics } from '../core/ports/metrics.js';
import type { LeaseSeconds } from '../core/services/lease-seconds-tally.js';

/** Values read when Prometheus scrapes, not kept up to date by hand. */
export interface GaugeSources {
  readonly activeLeases?: () => Promise<number>;
  readonly notificationsPending?: () => Promise<number>;
  readonly logViewers?: () => number;
  /** Idle warm pool members per image type. */
  readonly poolIdle?: () => Promise<ReadonlyMap<string, number>>;
  /** The leases that ended since the last scrape, with the seconds each ran. */
  readonly leaseEnds?: () => Promise<readonly LeaseSeconds[]>;
}

export interface PrometheusMetricsOptions {
  /** Also export Node's process metrics (memory, CPU, event-loop lag). @defaultValue true */
  readonly processMetrics?: boolean;
}

/** Cleanup outcomes that count as failures: `failed` and any error code. */
const FAILED_OUTCOMES: ReadonlySet<string> = new Set(['failed', ...ERROR_CODES]);

/**
 * Core's Metrics port on a prom-client registry of its own (never the global one), so several
 * servers can live in one process, as they do in tests. Served at `GET /metrics`.
 */
export class PrometheusMetrics implements Metrics, PoolMetrics {
  readonly registry = new Registry();
  private sources: GaugeSources = {};
  private readonly provisionSeconds: Histogram<'outcome'>;
  private readonly cleanupSeconds: Histogram<'outcome'>;
  private readonly cleanupFailures: Counter;
  private readonly poolClaims: Counter<'image' | 'result'>;
  private readonly poolRefillFailures: Counter<'image'>;

  constructor(options: PrometheusMetricsOptions = {}) {
    const registers = [this.registry];
    this.provisionSeconds = new Histogram({
      name: 'containerlease_provision_duration_seconds',
      help: 'Time to provision a lease (image, create, start, activate), by outcome (ok or an error code).',
      labelNames: ['outcome'],
      buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
      registers,
    });
    this.cleanupSeconds = new Histogram({
      name: 'containerlease_cleanup_duration_seconds',
      help: 'Time the cleanup job spent on one lease, by outcome (removed, released, failed, ...).',
      labelNames: ['outcome'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
    this.cleanupFailures = new Counter({
      name: 'containerlease_cleanup_failures_total',
      help: 'Leases the cleanup job failed to clean (it retries them on a later run).',
      registers,
    });
    this.poolClaims = new Counter({
      name: 'containerlease_pool_claims_total',
      help: 'Provisions of a pooled image type, by result: hit (a ready member taken) or miss (made on demand).',
      labelNames: ['image', 'result'],
      registers,
    });
    this.poolRefillFailures = new Counter({
      name: 'containerlease_pool_refill_failures_total',
      help: 'Warm pool members that could not be made (the pool backs off and retries).',
      labelNames: ['image'],
      registers,
    });
    const sources = () => this.sources;
    new Gauge({
      name: 'containerlease_pool_idle',
      help: 'Idle warm pool members ready to be claimed, per image type.',
      labelNames: ['image'],
      registers,
      async collect() {
        this.reset();
        const counts = await sources()
          .poolIdle?.()
          .catch(() => undefined);
        for (const [image, count] of counts ?? []) this.set({ image }, count);
      },
    });
    this.gauge('containerlease_active_leases', 'Leases that exist now, in any state.', () =>
      this.sources.activeLeases?.(),
    );
    this.gauge('containerlease_notifications_pending', 'Notices queued but not yet delivered.', () =>
      this.sources.notificationsPending?.(),
    );
    this.gauge('containerlease_log_viewers', 'WebSocket log viewers connected now.', () =>
      this.sources.logViewers?.(),
    );
    new Counter({
      name: 'containerlease_lease_seconds_total',
      help: 'Seconds that leases ran, by image type and team, counted from the audit trail as each lease ends.',
      labelNames: ['image', 'team'],
      registers,
      async collect() {
        // A failed read keeps its place in the trail and is tried again at the next scrape.
        for (const end of (await sources()
          .leaseEnds?.()
          .catch(() => [])) ?? [])
          this.inc({ image: end.image, team: end.team }, end.seconds);
      },
    });
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  provisioned(seconds: number, outcome: string): void {
    this.provisionSeconds.observe({ outcome }, seconds);
  }

  cleaned(seconds: number, outcome: string): void {
    this.cleanupSeconds.observe({ outcome }, seconds);
    if (FAILED_OUTCOMES.has(outcome)) this.cleanupFailures.inc();
  }

  poolClaimed(imageType: string, hit: boolean): void {
    this.poolClaims.inc({ image: imageType, result: hit ? 'hit' : 'miss' });
  }

  poolRefillFailed(imageType: string): void {
    this.poolRefillFailures.inc({ image: imageType });
  }

  /** Adds or replaces the sources of the gauges read at scrape time. */
  watch(sources: GaugeSources): void {
    this.sources = { ...this.sources, ...sources };
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The exposition text. A gauge whose source is missing or fails reads NaN instead of failing the scrape. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  private gauge(name: string, help: string, read: () => Promise<number> | number | undefined): void {
    new Gauge({
      name,
      help,
      registers: [this.registry],
      async collect() {
        try {
          this.set((await read()) ?? Number.NaN);
        } catch {
          this.set(Number.NaN);
        }
      },
    });
  }
}
