/** Resource limits applied to every leased container. */
export interface ContainerLimits {
  readonly memoryBytes: number;
  /** CPU quota in units of 1e-9 CPUs. */
  readonly nanoCpus: number;
  readonly pidsLimit: number;
}

/** What core asks the runtime to create; the adapter adds the fixed hardening (no privileges, no mounts). */
export interface ContainerSpec {
  readonly name: string;
  readonly image: string;
  /** Keeps the container alive; the image's own command when absent. */
  readonly cmd?: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  readonly limits: ContainerLimits;
  /** Capabilities added back after dropping all, as the image type needs. */
  readonly capAdd: readonly string[];
}

export type RuntimeState = 'created' | 'running' | 'paused' | 'restarting' | 'exited' | 'dead' | 'removing';

export interface ContainerSummary {
  readonly id: string;
  /** Without Docker's leading slash. */
  readonly name: string;
  readonly image: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly state: RuntimeState;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  /**
   * The container's IP address on its network, which the host reaches it at (the port proxy's
   * target). Only `inspect` fills it in; absent when the container has no network address.
   */
  readonly address?: string;
}

/** What one container has written to its own layer. */
export interface LayerUsage {
  readonly id: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly writtenBytes: number;
}

export interface PullProgress {
  readonly status: string;
  readonly id?: string;
  readonly current?: number;
  readonly total?: number;
}

/**
 * The longest line a runtime hands out. Output that goes on longer without a newline (`yes | tr -d
 * '\n'`, a progress bar redrawn with `\r`) is handed out in pieces this long, each marked `cut`,
 * so no reader ever holds more than this of an unfinished line.
 */
export const MAX_LOG_LINE_CHARS = 4096;

export interface LogLine {
  readonly stream: 'stdout' | 'stderr';
  /** RFC 3339 with nanoseconds, as Docker stamps it; sorts as text and serves as a resume cursor. */
  readonly ts: string;
  /** At most MAX_LOG_LINE_CHARS. */
  readonly text: string;
  /** The line went on past MAX_LOG_LINE_CHARS: the rest follows as the next line. */
  readonly cut?: true;
}

export interface LogOptions {
  readonly follow: boolean;
  /** Lines from the end to start with; all when absent. */
  readonly tail?: number;
  readonly signal?: AbortSignal;
}

/**
 * The container engine as core uses it. Stop and remove are idempotent: a container that is already
 * stopped, already gone, or already being removed counts as done.
 */
export interface ContainerRuntime {
  /** Pulls the image unless it is already local. @throws image_unavailable */
  ensureImage(image: string, onProgress?: (progress: PullProgress) => void): Promise<void>;
  /** @returns the container id */
  create(spec: ContainerSpec): Promise<string>;
  start(id: string): Promise<void>;
  /** Gives the container a new name (a claimed pool member's carries its lease). @throws conflict when taken */
  rename(id: string, name: string): Promise<void>;
  /** The id of the local image `image` names; null when it is not local. */
  imageId(image: string): Promise<string | null>;
  stop(id: string, timeoutSeconds: number): Promise<void>;
  /** Removes the container and its anonymous volumes, stopping it if needed. */
  remove(id: string): Promise<void>;
  /** @returns null when the container does not exist */
  inspect(id: string): Promise<ContainerSummary | null>;
  /** Containers, running or not, carrying every given label (`key=value`, or `key` for any value). */
  list(labels: readonly string[]): Promise<ContainerSummary[]>;
  logs(id: string, options: LogOptions): AsyncIterable<LogLine>;
  ping(): Promise<void>;
}

/** How much containers have written to their own layers, for the cleanup job's disk limit. */
export interface ContainerDisks {
  /**
   * What each container carrying every label has written to its own layer; null when the engine
   * itself holds containers to their disk limit, so nobody needs to watch.
   */
  layerUsage(labels: readonly string[]): Promise<LayerUsage[] | null>;
}
