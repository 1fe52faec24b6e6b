/** What core reports about its work; the web's Prometheus registry implements it. */
export interface Metrics {
  /** One provision attempt, with its outcome (`ok` or an error code). */
  provisioned(seconds: number, outcome: string): void;
  /** One lease cleaned (or not) by the job, with its outcome (`removed`, `released`, `failed`…). */
  cleaned(seconds: number, outcome: string): void;
}

export const noMetrics: Metrics = { provisioned() {}, cleaned() {} };

/** What the warm pools report; the web's Prometheus registry implements it. */
export interface PoolMetrics {
  /** A provision of a pooled image type: `hit` when it took a ready member. */
  poolClaimed(imageType: string, hit: boolean): void;
  /** A member could not be made (the pool backs off and tries again). */
  poolRefillFailed(imageType: string): void;
}

export const noPoolMetrics: PoolMetrics = { poolClaimed() {}, poolRefillFailed() {} };
