import type {
  ContainerRuntime,
  ContainerSpec,
  ContainerSummary,
  LogLine,
  LogOptions,
  PullProgress,
} from '../../src/core/ports/container-runtime.js';

/** A real runtime with its log streams counted: how many were opened, and how many are open now. */
export class CountingRuntime implements ContainerRuntime {
  opened = 0;
  open = 0;

  constructor(private readonly inner: ContainerRuntime) {}

  async *logs(id: string, options: LogOptions): AsyncIterable<LogLine> {
    if (options.follow) {
      this.opened += 1;
      this.open += 1;
    }
    try {
      yield* this.inner.logs(id, options);
    } finally {
      if (options.follow) this.open -= 1;
    }
  }

  ensureImage(image: string, onProgress?: (progress: PullProgress) => void): Promise<void> {
    return this.inner.ensureImage(image, onProgress);
  }
  create(spec: ContainerSpec): Promise<string> {
    return this.inner.create(spec);
  }
  start(id: string): Promise<void> {
    return this.inner.start(id);
  }
  rename(id: string, name: string): Promise<void> {
    return this.inner.rename(id, name);
  }
  imageId(image: string): Promise<string | null> {
    return this.inner.imageId(image);
  }
  stop(id: string, timeoutSeconds: number): Promise<void> {
    return this.inner.stop(id, timeoutSeconds);
  }
  remove(id: string): Promise<void> {
    return this.inner.remove(id);
  }
  inspect(id: string): Promise<ContainerSummary | null> {
    return this.inner.inspect(id);
  }
  list(labels: readonly string[]): Promise<ContainerSummary[]> {
    return this.inner.list(labels);
  }
  ping(): Promise<void> {
    return this.inner.ping();
  }
}
