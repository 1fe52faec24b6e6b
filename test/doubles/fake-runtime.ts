import { ImageUnavailableError } from '../../src/core/errors.js';
import type {
  ContainerRuntime,
  ContainerSpec,
  ContainerSummary,
  LogLine,
  LogOptions,
  PullProgress,
  RuntimeState,
} from '../../src/core/ports/container-runtime.js';

interface FakeContainer {
  readonly id: string;
  name: string;
  readonly spec: ContainerSpec;
  state: RuntimeState;
  readonly createdAt: number;
  readonly lines: LogLine[];
}

type Operation = 'ensureImage' | 'create' | 'start' | 'rename' | 'stop' | 'remove' | 'inspect' | 'list';

/**
 * A container engine in memory. Tests make it fail before it acts (`failNext`) or after (`failAfterNext`),
 * slow (`delayMs`) or lose containers behind our back (`vanish`), and read what was asked of it (`calls`).
 */
export class FakeRuntime implements ContainerRuntime {
  readonly containers = new Map<string, FakeContainer>();
  readonly images = new Set<string>();
  readonly calls: Array<{ operation: Operation; id?: string }> = [];
  /** Each read of a container's log, with what it asked for. */
  readonly logReads: Array<{ id: string; options: LogOptions }> = [];
  /** Every call waits this long first, as a slow engine would. */
  delayMs = 0;
  private readonly failures = new Map<Operation, Error[]>();
  private readonly lostReplies = new Map<Operation, Error[]>();
  private sequence = 0;
  private readonly builds = new Map<string, number>();

  constructor(options: { images?: readonly string[]; now?: () => number } = {}) {
    for (const image of options.images ?? []) this.images.add(image);
    this.now = options.now ?? Date.now;
  }

  private readonly now: () => number;

  /** The next `times` calls of `operation` throw `error`. */
  failNext(operation: Operation, error: Error, times = 1): void {
    this.failures.set(operation, [...(this.failures.get(operation) ?? []), ...Array(times).fill(error)]);
  }

  /**
   * The next call of `operation` does its work, then throws `error`: the engine acted but its answer
   * was lost (a timeout, a dropped connection), so the caller holds no id for what now exists.
   */
  failAfterNext(operation: 'create' | 'start' | 'stop' | 'remove', error: Error): void {
    this.lostReplies.set(operation, [...(this.lostReplies.get(operation) ?? []), error]);
  }

  /** Removes a container as if someone ran `docker rm -f` behind our back. */
  vanish(id: string): void {
    this.containers.delete(id);
  }

  running(): FakeContainer[] {
    return [...this.containers.values()].filter((container) => container.state === 'running');
  }

  async ensureImage(image: string, onProgress?: (progress: PullProgress) => void): Promise<void> {
    await this.enter('ensureImage');
    if (this.images.has(image)) return;
    onProgress?.({ status: `Pulling from ${image}` });
    throw new ImageUnavailableError(`Could not pull ${image}: no registry in tests`);
  }

  async create(spec: ContainerSpec): Promise<string> {
    await this.enter('create');
    if (!this.images.has(spec.image)) throw new ImageUnavailableError(`No such image: ${spec.image}`);
    this.sequence += 1;
    const id = `fake${String(this.sequence).padStart(60, '0')}`;
    this.containers.set(id, {
      id,
      name: spec.name,
      spec,
      state: 'created',
      createdAt: this.now(),
      lines: [],
    });
    this.answer('create');
    return id;
  }

  async start(id: string): Promise<void> {
    await this.enter('start', id);
    this.require(id).state = 'running';
    this.answer('start');
  }

  async rename(id: string, name: string): Promise<void> {
    await this.enter('rename', id);
    const taken = [...this.containers.values()].some((other) => other.name === name && other.id !== id);
    if (taken) throw Object.assign(new Error(`The name ${name} is taken`), { statusCode: 409 });
    this.require(id).name = name;
  }

  async imageId(image: string): Promise<string | null> {
    return this.images.has(image)
      ? `sha256:${Buffer.from(image).toString('hex')}${this.builds.get(image) ?? ''}`
      : null;
  }

  /** The image is built anew: the same name now stands for another image id. */
  rebuild(image: string): void {
    this.builds.set(image, (this.builds.get(image) ?? 0) + 1);
  }

  async stop(id: string): Promise<void> {
    await this.enter('stop', id);
    const container = this.containers.get(id);
    if (container) container.state = 'exited';
    this.answer('stop');
  }

  async remove(id: string): Promise<void> {
    await this.enter('remove', id);
    this.containers.delete(id);
    this.answer('remove');
  }

  async inspect(id: string): Promise<ContainerSummary | null> {
    await this.enter('inspect', id);
    const container = this.containers.get(id);
    if (!container) return null;
    // Like Docker, a running container has an address on its network; a stopped one has none.
    const address = `10.88.${Math.floor(container.createdAt % 250)}.${container.id.length % 250}`;
    return container.state === 'running' ? { ...summary(container), address } : summary(container);
  }

  async list(labels: readonly string[]): Promise<ContainerSummary[]> {
    await this.enter('list');
    return [...this.containers.values()].filter((container) => matches(container, labels)).map(summary);
  }

  /** As Docker's: a tail counts messages, and a message cut into several lines comes whole. */
  async *logs(id: string, options: LogOptions): AsyncIterable<LogLine> {
    this.logReads.push({ id, options });
    const { lines } = this.require(id);
    yield* options.tail === undefined ? lines : lastMessages(lines, options.tail);
  }

  async ping(): Promise<void> {}

  private async enter(operation: Operation, id?: string): Promise<void> {
    this.calls.push({ operation, id });
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    const failure = this.failures.get(operation)?.shift();
    if (failure) throw failure;
  }

  /** Throws the lost reply queued for `operation`, if any, after its work was done. */
  private answer(operation: Operation): void {
    const lost = this.lostReplies.get(operation)?.shift();
    if (lost) throw lost;
  }

  private require(id: string): FakeContainer {
    const container = this.containers.get(id);
    if (!container) throw Object.assign(new Error(`No such container: ${id}`), { statusCode: 404 });
    return container;
  }
}

/** The lines of the last `tail` messages: a cut line and those after it up to an uncut one are one. */
function lastMessages(lines: readonly LogLine[], tail: number): LogLine[] {
  const messages: LogLine[][] = [];
  let continued = false;
  for (const line of lines) {
    if (continued) messages.at(-1)?.push(line);
    else messages.push([line]);
    continued = line.cut === true;
  }
  return messages.slice(Math.max(messages.length - tail, 0)).flat();
}

function summary(container: FakeContainer): ContainerSummary {
  return {
    id: container.id,
    name: container.name,
    image: container.spec.image,
    labels: container.spec.labels,
    state: container.state,
    createdAt: container.createdAt,
  };
}

function matches(container: FakeContainer, filters: readonly string[]): boolean {
  return filters.every((filter) => {
    const [key, value] = filter.split('=') as [string, string | undefined];
    const actual = container.spec.labels[key];
    return value === undefined ? actual !== undefined : actual === value;
  });
}
