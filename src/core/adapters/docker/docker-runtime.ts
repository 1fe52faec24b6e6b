import type { Readable } from 'node:stream';
import type Docker from 'dockerode';
import { ImageUnavailableError } from '../../errors.js';
import type {
  ContainerDisks,
  ContainerRuntime,
  ContainerSpec,
  ContainerSummary,
  LayerUsage,
  LogLine,
  LogOptions,
  PullProgress,
  RuntimeState,
} from '../../ports/container-runtime.js';
import {
  DeadlineExceeded,
  DOCKER_DEADLINES,
  type DockerDeadlines,
  withDeadline,
} from './docker-deadlines.js';
import { dockerStatus, isConnectionFailure, reason, runtimeFailure } from './docker-errors.js';
import {
  type DiskLimitSupport,
  diskLimitSupport,
  isolationHostConfig,
  type LeaseIsolation,
  NO_NETWORK,
  refusesStorageOpt,
} from './lease-isolation.js';
import { ensureLeaseNetwork, type LeaseNetwork } from './lease-network.js';
import { LogFrameParser } from './log-frames.js';
import { readPullEvents } from './pull-progress.js';

/** What the runtime reads of `docker info`. */
interface EngineInfo {
  readonly Driver?: string;
  readonly DriverStatus?: ReadonlyArray<readonly [string, string]>;
  readonly Runtimes?: Readonly<Record<string, unknown>>;
}

/** Stop and remove: already stopped (304), gone (404), removal in progress (409) all count as done. */
const ALREADY_STOPPED = new Set([304, 404]);
const ALREADY_REMOVED = new Set([404, 409]);

/**
 * Keeps a chatty container from filling the host's disk. Two files, so a log follower that falls
 * behind a rotation finds the previous file instead of skipping and repeating stretches.
 */
const LOG_LIMITS = { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '2' } };

/**
 * The Docker engine through dockerode, with the hardening every leased container gets and the
 * isolation the composition chose (lease-isolation.ts). Every call has a client-side deadline
 * (docker-deadlines.ts); streams (a pull, followed logs) have one for opening, and a pull one for
 * silence, none for their length.
 */
export class DockerRuntime implements ContainerRuntime, ContainerDisks {
  private readonly deadlines: DockerDeadlines;
  /** What `docker info` says of disk limits, asked once; `no` once the engine refused one. */
  private diskSupport: Promise<DiskLimitSupport> | undefined;

  constructor(
    private readonly docker: Docker,
    /** Where the engine was looked for, for error messages. */
    private readonly where: string,
    deadlines: Partial<DockerDeadlines> = {},
    private readonly isolation: LeaseIsolation = NO_NETWORK,
  ) {
    this.deadlines = { ...DOCKER_DEADLINES, ...deadlines };
  }

  /**
   * Makes sure the lease network exists, creating it when `create` allows (the default network),
   * else refusing a missing one as bad configuration.
   */
  prepareNetwork(options: { readonly create: boolean }): Promise<LeaseNetwork> {
    return this.mapped('prepare the lease network', () =>
      ensureLeaseNetwork(this.docker, this.isolation.network, options),
    );
  }

  /** Why leases cannot be made as configured right now (an unknown runtime, a missing network), or undefined. */
  async isolationProblem(): Promise<string | undefined> {
    const { network, runtime } = this.isolation;
    const info = await this.info();
    const runtimes = Object.keys(info.Runtimes ?? {});
    if (runtime && !runtimes.includes(runtime))
      return `CONTAINER_RUNTIME is ${runtime}, which the Docker engine at ${this.where} does not know (it knows ${runtimes.join(', ')}): register it in /etc/docker/daemon.json or unset CONTAINER_RUNTIME`;
    if (network === 'none') return undefined;
    const found = await this.call('inspect the lease network', async () => {
      try {
        return (await this.docker.getNetwork(network).inspect()).Name === network;
      } catch (error) {
        if (dockerStatus(error) === 404) return false;
        throw error;
      }
    });
    return found
      ? undefined
      : `The lease network ${network} (CONTAINER_NETWORK) no longer exists: restart the product to create it, or create it`;
  }

  /**
   * What each container carrying every label has written to its own layer, in one engine call;
   * null when the engine itself holds containers to the disk limit, so there is nothing to watch.
   */
  async layerUsage(labels: readonly string[]): Promise<LayerUsage[] | null> {
    if ((await this.diskLimitSupport()) === 'engine') return null;
    return this.call('measure container disks', async (signal) => {
      const found = await this.docker.listContainers({
        all: true,
        size: true,
        filters: { label: [...labels] },
        abortSignal: signal,
      });
      return found.map((summary) => ({
        id: summary.Id,
        labels: summary.Labels ?? {},
        // Asked for with size=true; dockerode's type declarations leave the field out.
        writtenBytes: (summary as { SizeRw?: number }).SizeRw ?? 0,
      }));
    });
  }

  async ensureImage(image: string, onProgress?: (progress: PullProgress) => void): Promise<void> {
    if (await this.hasImage(image)) return;
    const stream = await this.call('start pulling the image', (signal) => this.pull(image, signal));
    const output = await this.mapped('pull the image', () =>
      readPullEventsUnlessSilent(stream, this.deadlines.pullSilence, onProgress),
    );
    const failure = output.find((event) => typeof event.error === 'string');
    if (failure) throw pullFailed(image, failure.error ?? 'unknown error');
    if (!(await this.hasImage(image))) throw pullFailed(image, 'it did not arrive');
  }

  async create(spec: ContainerSpec): Promise<string> {
    const support = await this.diskLimitSupport();
    try {
      return await this.createWith(spec, support !== 'no');
    } catch (error) {
      if (support === 'no' || !refusesStorageOpt(reason(error))) throw error;
      // overlay2 on xfs without pquota: the engine cannot cap the layer, so the cleanup job watches it.
      this.diskSupport = Promise.resolve('no');
      return this.createWith(spec, false);
    }
  }

  private createWith(spec: ContainerSpec, sizeLimit: boolean): Promise<string> {
    return this.call(
      'create the container',
      async (signal) => {
        const container = await this.docker.createContainer({
          abortSignal: signal,
          name: spec.name,
          Image: spec.image,
          Cmd: spec.cmd ? [...spec.cmd] : undefined,
          Labels: { ...spec.labels },
          Tty: false,
          OpenStdin: false,
          AttachStdin: false,
          HostConfig: {
            Memory: spec.limits.memoryBytes,
            MemorySwap: spec.limits.memoryBytes,
            NanoCpus: spec.limits.nanoCpus,
            PidsLimit: spec.limits.pidsLimit,
            CapDrop: ['ALL'],
            CapAdd: [...spec.capAdd],
            SecurityOpt: ['no-new-privileges:true'],
            Privileged: false,
            Init: true,
            AutoRemove: false,
            Binds: [],
            Mounts: [],
            RestartPolicy: { Name: 'no' },
            LogConfig: LOG_LIMITS,
            ...isolationHostConfig(this.isolation, sizeLimit),
          },
        });
        return container.id;
      },
      this.deadlines.change,
    );
  }

  start(id: string): Promise<void> {
    return this.call(
      'start the container',
      async (signal) => {
        await this.docker.getContainer(id).start({ abortSignal: signal });
      },
      this.deadlines.change,
    );
  }

  rename(id: string, name: string): Promise<void> {
    return this.call(
      'rename the container',
      async (signal) => {
        await this.docker.getContainer(id).rename({ name, abortSignal: signal });
      },
      this.deadlines.change,
    );
  }

  /** Image inspection ignores an abort signal in dockerode; the deadline still ends the wait. */
  imageId(image: string): Promise<string | null> {
    return this.call('inspect the image', async () => {
      try {
        return (await this.docker.getImage(image).inspect()).Id;
      } catch (error) {
        if (dockerStatus(error) === 404) return null;
        throw error;
      }
    });
  }

  stop(id: string, timeoutSeconds: number): Promise<void> {
    return this.call(
      'stop the container',
      async (signal) => {
        try {
          await this.docker.getContainer(id).stop({ t: timeoutSeconds, abortSignal: signal });
        } catch (error) {
          if (!ALREADY_STOPPED.has(dockerStatus(error) ?? 0)) throw error;
        }
      },
      timeoutSeconds * 1000 + this.deadlines.stopMargin,
    );
  }

  remove(id: string): Promise<void> {
    return this.call(
      'remove the container',
      async (signal) => {
        try {
          await this.docker.getContainer(id).remove({ force: true, v: true, abortSignal: signal });
        } catch (error) {
          if (!ALREADY_REMOVED.has(dockerStatus(error) ?? 0)) throw error;
        }
      },
      this.deadlines.change,
    );
  }

  inspect(id: string): Promise<ContainerSummary | null> {
    return this.call('inspect the container', async (signal) => {
      try {
        const info = await this.docker.getContainer(id).inspect({ abortSignal: signal });
        return {
          id: info.Id,
          name: info.Name.replace(/^\//, ''),
          image: info.Config.Image,
          labels: info.Config.Labels ?? {},
          state: info.State.Status as RuntimeState,
          createdAt: Date.parse(info.Created),
          ...addressOf(info),
        };
      } catch (error) {
        if (dockerStatus(error) === 404) return null;
        throw error;
      }
    });
  }

  list(labels: readonly string[]): Promise<ContainerSummary[]> {
    return this.call('list containers', async (signal) => {
      const found = await this.docker.listContainers({
        all: true,
        filters: { label: [...labels] },
        abortSignal: signal,
      });
      return found.map((summary) => ({
        id: summary.Id,
        name: (summary.Names[0] ?? '').replace(/^\//, ''),
        image: summary.Image,
        labels: summary.Labels ?? {},
        state: summary.State as RuntimeState,
        createdAt: summary.Created * 1000,
      }));
    });
  }

  async *logs(id: string, options: LogOptions): AsyncIterable<LogLine> {
    const parser = new LogFrameParser();
    const action = options.follow ? 'follow logs' : 'read logs';
    // The deadline covers opening the stream; once open, it lasts as long as the container writes.
    const stream = await this.call(action, (deadline) => this.logStream(id, options, deadline));
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) yield* parser.push(chunk);
      yield* parser.flush();
    } catch (error) {
      if (!options.signal?.aborted) throw runtimeFailure(error, this.where, action);
    } finally {
      stream.destroy();
    }
  }

  /**
   * The log as a stream, also when not following: dockerode hands a finished log over as one
   * buffer (a chatty container's is megabytes), which would then be parsed in one go on the event
   * loop; read as it arrives, each piece is parsed in its own turn.
   */
  private logStream(id: string, options: LogOptions, deadline: AbortSignal): Promise<Readable> {
    const query = { stdout: true, stderr: true, timestamps: true, follow: options.follow };
    return new Promise((resolve, reject) => {
      this.docker.modem.dial(
        {
          path: `/containers/${encodeURIComponent(id)}/logs?`,
          method: 'GET',
          isStream: true,
          abortSignal: options.signal ? AbortSignal.any([options.signal, deadline]) : deadline,
          statusCodes: { 200: true, 404: 'no such container', 500: 'server error' },
          options: options.tail === undefined ? query : { ...query, tail: options.tail },
        },
        (error, stream) => (error ? reject(error) : resolve(stream as Readable)),
      );
    });
  }

  ping(): Promise<void> {
    return this.call('answer a ping', async (signal) => {
      // dockerode's ping takes options (the abort signal) that its type declarations leave out.
      const ping = this.docker.ping as unknown as (options: { abortSignal: AbortSignal }) => Promise<unknown>;
      await ping.call(this.docker, { abortSignal: signal });
    });
  }

  private diskLimitSupport(): Promise<DiskLimitSupport> {
    this.diskSupport ??= this.info().then(diskLimitSupport, (error: unknown) => {
      this.diskSupport = undefined;
      throw error;
    });
    return this.diskSupport;
  }

  private info(): Promise<EngineInfo> {
    // dockerode's info takes options (the abort signal) that its type declarations leave out.
    const info = this.docker.info as unknown as (options: {
      abortSignal: AbortSignal;
    }) => Promise<EngineInfo>;
    return this.call('describe itself', (signal) => info.call(this.docker, { abortSignal: signal }));
  }
  async hasImage(image: string): Promise<boolean> {
    return (await this.imageId(image)) !== null;
  }

  /** A registry that refuses or cannot be reached makes the image unavailable, not the engine. */
  private async pull(image: string, signal: AbortSignal): Promise<Readable> {
    try {
      return (await this.docker.pull(image, { abortSignal: signal })) as Readable;
    } catch (error) {
      if (isConnectionFailure(error)) throw error;
      throw pullFailed(image, reason(error), error);
    }
  }

  /** One call with its deadline (the `answer` deadline unless said otherwise), its failure as runtime_unavailable. */
  private call<T>(
    action: string,
    operation: (signal: AbortSignal) => Promise<T>,
    deadlineMs = this.deadlines.answer,
  ): Promise<T> {
    return this.mapped(action, () => withDeadline(deadlineMs, operation));
  }

  private async mapped<T>(action: string, operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw runtimeFailure(error, this.where, action);
    }
  }
}

/** Reads a pull's progress to its end; a pull silent for `silenceMs` is cut off as hung. */
async function readPullEventsUnlessSilent(
  stream: Readable,
  silenceMs: number,
  onProgress?: (progress: PullProgress) => void,
) {
  const silence = () => stream.destroy(new DeadlineExceeded(silenceMs));
  let timer = setTimeout(silence, silenceMs);
  try {
    return await readPullEvents(stream, (progress) => {
      clearTimeout(timer);
      timer = setTimeout(silence, silenceMs);
      onProgress?.(progress);
    });
  } finally {
    clearTimeout(timer);
  }
}

/** Said to the person who asked, so it names what an operator can do about it. */
function pullFailed(image: string, why: string, cause?: unknown): ImageUnavailableError {
  const short = why.length > 160 ? `${why.slice(0, 160)}…` : why;
  return new ImageUnavailableError(
    `The image ${image} is not on this Docker host and could not be pulled (${short}). An operator can pull or load it, or offer local images with IMAGES_FILE.`,
    { cause },
  );
}

/** The first address the container has on any of its networks (a lease is on one). */
function addressOf(info: Docker.ContainerInspectInfo): { address?: string } {
  const networks = Object.values(info.NetworkSettings?.Networks ?? {});
  const address = networks.map((network) => network.IPAddress).find(Boolean);
  return address ? { address } : {};
}
