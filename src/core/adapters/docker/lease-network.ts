import { createHash } from 'node:crypto';
import type Docker from 'dockerode';
import { ConfigError } from '../../errors.js';
import { dockerStatus, reason } from './docker-errors.js';

/** Marks a network this product created for its leases. */
export const LEASE_NETWORK_LABEL = 'io.containerlease.lease-network';

/** What the web server and the firewall rules need to know of the lease network. */
export interface LeaseNetwork {
  /** `none`, or the network's name. */
  readonly name: string;
  /** The host's addresses on the network (its gateways); none for `none`. */
  readonly gateways: readonly string[];
  /** The Linux bridge interface, where the engine names one (firewall rules match on it). */
  readonly bridge: string | undefined;
}

const LINUX_INTERFACE = /^[A-Za-z0-9_.-]{1,15}$/;

/**
 * The bridge interface of a network we create: its own name when that is a valid interface name
 * (so `containerlease` is the interface an operator's firewall rule names), else a short hash of it.
 * Being the same in every process, it also makes the engine refuse a second network of the same
 * name made at the same moment (the engine's duplicate-name check alone lets both through).
 */
export function bridgeNameFor(network: string): string {
  if (LINUX_INTERFACE.test(network)) return network;
  return `cl-${createHash('sha256').update(network).digest('hex').slice(0, 12)}`;
}

/**
 * Makes sure the lease network exists: `none` needs nothing; a missing network is created (bridge,
 * containers unable to reach each other, labelled as ours) when `create` allows it, else refused
 * as bad configuration. Safe to run from several processes at once.
 */
export async function ensureLeaseNetwork(
  docker: Docker,
  name: string,
  options: { readonly create: boolean },
): Promise<LeaseNetwork> {
  if (name === 'none') return { name, gateways: [], bridge: undefined };
  const found = await findNetwork(docker, name);
  if (found) return found;
  if (!options.create)
    throw new ConfigError(
      `CONTAINER_NETWORK names the Docker network ${name}, which does not exist: create it (docker network create --opt com.docker.network.bridge.enable_icc=false ${name}) or leave CONTAINER_NETWORK unset`,
    );
  try {
    await docker.createNetwork({
      Name: name,
      Driver: 'bridge',
      CheckDuplicate: true,
      Labels: { [LEASE_NETWORK_LABEL]: 'true' },
      Options: {
        'com.docker.network.bridge.enable_icc': 'false',
        'com.docker.network.bridge.name': bridgeNameFor(name),
      },
    });
  } catch (error) {
    // Another process made it first (a duplicate name or bridge): theirs is the network.
    const made = await findNetwork(docker, name);
    if (made) return made;
    throw new ConfigError(`The Docker network ${name} could not be created: ${reason(error)}`, {
      cause: error,
    });
  }
  const made = await findNetwork(docker, name);
  if (!made) throw new ConfigError(`The Docker network ${name} vanished as it was created`);
  return made;
}

/** Removes a network we created; one already gone counts as removed. */
export async function removeLeaseNetwork(docker: Docker, name: string): Promise<void> {
  try {
    await docker.getNetwork(name).remove();
  } catch (error) {
    if (dockerStatus(error) !== 404) throw error;
  }
}

async function findNetwork(docker: Docker, name: string): Promise<LeaseNetwork | undefined> {
  try {
    const info = await docker.getNetwork(name).inspect();
    // Inspect also matches an id or an id prefix: only the network of that very name counts.
    if (info.Name !== name) return undefined;
    const configs: Array<{ Gateway?: string }> = info.IPAM?.Config ?? [];
    return {
      name,
      gateways: configs.map((config) => config.Gateway ?? '').filter(Boolean),
      bridge:
        info.Driver === 'bridge'
          ? (info.Options?.['com.docker.network.bridge.name'] ?? `br-${String(info.Id).slice(0, 12)}`)
          : undefined,
    };
  } catch (error) {
    if (dockerStatus(error) === 404) return undefined;
    throw error;
  }
}
