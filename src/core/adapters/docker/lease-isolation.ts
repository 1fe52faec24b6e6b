/**
 * What keeps one lease from another and from the host, beyond the fixed hardening: chosen in
 * composition from CONTAINER_NETWORK, CONTAINER_DISK_MB and CONTAINER_RUNTIME.
 */
export interface LeaseIsolation {
  /** The network every lease joins, or `none`. Never Docker's default bridge (the config refuses it). */
  readonly network: string;
  /** The most a container may write to its own layer. */
  readonly diskLimitBytes: number;
  /** The OCI runtime (e.g. `runsc`); undefined: the engine's default. */
  readonly runtime: string | undefined;
}

/** No network, the default disk limit and runtime: what a runtime built without settings gives its containers. */
export const NO_NETWORK: LeaseIsolation = {
  network: 'none',
  diskLimitBytes: 2048 * 1024 ** 2,
  runtime: undefined,
};

/**
 * Open files per process: plenty for a shell, a compiler or a dev server, and far below the
 * engine's default (about a million), which lets one lease hold a large share of the host's file table.
 */
export const NOFILE_LIMIT = { Name: 'nofile', Soft: 1024, Hard: 4096 };

/**
 * Block-I/O weight (10 to 1000; the kernel's default is 500): a lease reading or writing hard gets
 * a smaller share of the disk than the host's own work. Where the kernel has no weight-based I/O
 * scheduling (cgroup v1 without CFQ or BFQ), the engine accepts it and discards it with a warning.
 */
export const BLKIO_WEIGHT = 300;

/**
 * Whether the engine can cap a container's writable layer itself (`StorageOpt.size`), by its
 * storage driver: `engine` it can; `maybe` only when the file system allows (overlay2 on xfs
 * mounted with pquota, which `docker info` does not show); `no` it cannot.
 */
export type DiskLimitSupport = 'engine' | 'maybe' | 'no';

/** The storage drivers that honour `StorageOpt.size` whatever the file system under them. */
const SIZED_DRIVERS = new Set(['btrfs', 'zfs', 'devicemapper', 'windowsfilter']);

/** Judged from `docker info`: its `Driver` and the driver's `Backing Filesystem`. */
export function diskLimitSupport(info: {
  readonly Driver?: string;
  readonly DriverStatus?: ReadonlyArray<readonly [string, string]>;
}): DiskLimitSupport {
  const driver = info.Driver ?? '';
  if (SIZED_DRIVERS.has(driver)) return 'engine';
  const backing = info.DriverStatus?.find(([key]) => key === 'Backing Filesystem')?.[1];
  return driver === 'overlay2' && backing === 'xfs' ? 'maybe' : 'no';
}

/** The engine's refusal of `StorageOpt.size` (overlay2 without xfs pquota, vfs…). */
export function refusesStorageOpt(message: string): boolean {
  return /storage-?opt|quota/i.test(message);
}

/** The host-config fields that carry the isolation onto one container. */
export function isolationHostConfig(isolation: LeaseIsolation, sizeLimit: boolean) {
  return {
    NetworkMode: isolation.network,
    Ulimits: [NOFILE_LIMIT],
    BlkioWeight: BLKIO_WEIGHT,
    ...(isolation.runtime ? { Runtime: isolation.runtime } : {}),
    ...(sizeLimit ? { StorageOpt: { size: String(isolation.diskLimitBytes) } } : {}),
  };
}
