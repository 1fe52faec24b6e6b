/**
 * Client-side deadlines of Docker Engine API calls. The engine answers most calls in milliseconds;
 * a hung one would otherwise hold a provision, a stop or a cleanup run for as long as the socket
 * stays open. A call past its deadline fails as `runtime_unavailable`, retried like any other.
 */
export interface DockerDeadlines {
  /** inspect, list, ping, image inspect, reading logs, opening a log or pull stream. @defaultValue 30000 */
  readonly answer: number;
  /** create, start, remove (forced, with volumes): the engine sets up or tears down storage and network. @defaultValue 60000 */
  readonly change: number;
  /** stop: added to the stop timeout, which the engine itself waits before it kills. @defaultValue 30000 */
  readonly stopMargin: number;
  /** A pull takes minutes on a slow link, so it has no total deadline: it fails when no progress arrives for this long. @defaultValue 120000 */
  readonly pullSilence: number;
}

export const DOCKER_DEADLINES: DockerDeadlines = {
  answer: 30_000,
  change: 60_000,
  stopMargin: 30_000,
  pullSilence: 120_000,
};

/** A Docker call that got no answer in time. */
export class DeadlineExceeded extends Error {
  constructor(readonly ms: number) {
    super(`no answer within ${ms / 1000} s`);
    this.name = 'DeadlineExceeded';
  }
}

/**
 * Runs `call` with a signal that aborts after `ms` (dockerode passes it to the HTTP request, which
 * is then destroyed); rejects with DeadlineExceeded at the deadline even when a call ignores it.
 */
export async function withDeadline<T>(ms: number, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new DeadlineExceeded(ms);
      controller.abort(error);
      reject(error);
    }, ms);
  });
  try {
    return await Promise.race([call(controller.signal), expired]);
  } finally {
    clearTimeout(timer);
  }
}
