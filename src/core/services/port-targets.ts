import type { ContainerRuntime } from '../ports/container-runtime.js';
import type { LeaseStore } from '../ports/lease-store.js';
import type { AccessPolicy } from './access-policy.js';

/** Where the port proxy sends a request, or why it sends it nowhere. */
export type PortTarget =
  | { readonly kind: 'open'; readonly host: string; readonly port: number }
  /** The lease is gone or being removed. */
  | { readonly kind: 'ended' }
  | { readonly kind: 'starting' }
  /** The link's owner may not open this lease (an owner's link outliving its rights). */
  | { readonly kind: 'forbidden' }
  /** The container has no address the host can reach (no network, or it vanished). */
  | { readonly kind: 'unreachable' };

export interface PortTargetsDeps {
  readonly store: LeaseStore;
  readonly runtime: ContainerRuntime;
  readonly access: AccessPolicy;
  readonly now: () => number;
  /** How long a container's address is reused before it is inspected again. @defaultValue 5000 */
  readonly addressTtlMs?: number;
}

/** More cached addresses than this and the cache starts afresh; each is one inspect away. */
export const MAX_CACHED = 10_000;

/**
 * Finds the container behind a port link: always the lease's own container, looked up from the
 * lease record on every request (so a lease that ends is refused at once), never from anything in
 * the URL. Only the container's address is cached, briefly, by container id: an ended lease's
 * address can be reused by another container, but its lease is then no longer active.
 */
export class PortTargets {
  private readonly addresses = new Map<
    string,
    { readonly address: string | undefined; readonly until: number }
  >();

  constructor(private readonly deps: PortTargetsDeps) {}

  async resolve(owner: string, leaseId: string, port: number): Promise<PortTarget> {
    const lease = await this.deps.store.get(leaseId);
    if (!lease || lease.status === 'cleaning') return { kind: 'ended' };
    if (!this.mayOpen(owner, lease)) return { kind: 'forbidden' };
    if (lease.status === 'provisioning' || !lease.containerId) return { kind: 'starting' };
    const address = await this.addressOf(lease.containerId);
    return address === undefined ? { kind: 'unreachable' } : { kind: 'open', host: address, port };
  }

  private mayOpen(owner: string, lease: { readonly owner: string }): boolean {
    try {
      return this.deps.access.canManage(this.deps.access.actor(owner), lease);
      // Stryker disable next-line BlockStatement: without its return the method returns undefined, which refuses alike
    } catch {
      return false;
    }
  }

  private async addressOf(containerId: string): Promise<string | undefined> {
    const now = this.deps.now();
    const cached = this.addresses.get(containerId);
    if (cached && cached.until > now) return cached.address;
    const container = await this.deps.runtime.inspect(containerId);
    const address = container?.state === 'running' ? container.address : undefined;
    if (this.addresses.size >= MAX_CACHED) this.addresses.clear();
    this.addresses.set(containerId, { address, until: now + (this.deps.addressTtlMs ?? 5_000) });
    return address;
  }
}
