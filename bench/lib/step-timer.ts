/**
 * Time spent in each method of an adapter, summed over calls: a proxy that times promises and
 * async iterables to their end. Used to say where a run's time went, next to its total.
 */
export class StepTimer {
  private readonly totals = new Map<string, { calls: number; ms: number }>();

  /** `target` with every method timed under `tag.method`. */
  wrap<T extends object>(target: T, tag: string): T {
    return new Proxy(target, {
      get: (object, property, receiver) => {
        const value = Reflect.get(object, property, receiver);
        if (typeof value !== 'function' || typeof property !== 'string') return value;
        return (...args: unknown[]) => this.time(`${tag}.${property}`, () => value.apply(object, args));
      },
    });
  }

  /** Mean milliseconds per call of each step, and how many calls. */
  steps(): Array<{ step: string; calls: number; meanMs: number; totalMs: number }> {
    return [...this.totals].map(([step, { calls, ms }]) => ({
      step,
      calls,
      meanMs: ms / calls,
      totalMs: ms,
    }));
  }

  meanMs(step: string): number {
    const total = this.totals.get(step);
    return total ? total.ms / total.calls : 0;
  }

  time<R>(step: string, work: () => R): R {
    const started = performance.now();
    const done = () => this.add(step, performance.now() - started);
    const result = work();
    if (result instanceof Promise) return result.finally(done) as R;
    if (isAsyncIterable(result)) return timedIterable(result, done) as R;
    done();
    return result;
  }

  private add(step: string, ms: number): void {
    const total = this.totals.get(step) ?? { calls: 0, ms: 0 };
    total.calls += 1;
    total.ms += ms;
    this.totals.set(step, total);
  }
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

async function* timedIterable<T>(source: AsyncIterable<T>, done: () => void): AsyncIterable<T> {
  try {
    yield* source;
  } finally {
    done();
  }
}
