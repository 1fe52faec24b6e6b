import type { IncomingMessage } from 'node:http';
import type { PortsAddress } from '../../core/links/port-urls.js';
import type { PortTargets } from '../../core/services/port-targets.js';
import type { Authenticator } from '../auth/authenticator.js';
import { type PortAddress, readPortAddress } from './port-address.js';
import { portCookieOf } from './port-cookie.js';

/** A request the proxy may pass on: where it is for, and the container address to send it to. */
export interface Admitted {
  readonly address: PortAddress;
  /** `http://<container address>:<port>`. */
  readonly upstream: string;
}

export interface Refusal {
  readonly status: number;
  readonly title: string;
  readonly message: string;
}

export type GateResult =
  | { readonly kind: 'admit'; readonly value: Admitted }
  /** A port link followed: trade its token for the cookie. */
  | { readonly kind: 'link'; readonly address: PortAddress; readonly token: string; readonly exp: number }
  | { readonly kind: 'refuse'; readonly refusal: Refusal };

export interface PortGateDeps {
  readonly auth: Authenticator;
  readonly targets: PortTargets;
  readonly ports: () => PortsAddress;
}

/**
 * Decides every request and upgrade to the proxy the same way: which lease and port it names,
 * whether its link or cookie is a `port` link of that lease and port (a port link grants nothing
 * else, and nothing else grants a port), and whether that lease still runs. The container is the
 * lease's own, found from the lease record.
 */
export async function passGate(deps: PortGateDeps, req: IncomingMessage): Promise<GateResult> {
  const read = readPortAddress(req.url, req.headers.host, deps.ports());
  if (!read.ok) {
    const title = read.status === 404 ? 'Nothing here' : 'Not a port address';
    return refuse(read.status, title, read.message);
  }
  const address = read.value;
  const { leaseId, port } = address;
  if (address.linkToken !== undefined) {
    const verified = deps.auth.verifyLink(address.linkToken, 'port', leaseId, port);
    if (!verified.ok) return refuse(verified.error.status, 'Link not valid', verified.error.message);
    return { kind: 'link', address, token: address.linkToken, exp: verified.value.exp };
  }
  const cookie = portCookieOf(req.headers.cookie);
  if (cookie === undefined) {
    return refuse(
      401,
      'Open the link first',
      `Open port ${port} of lease ${leaseId} with the link from /lease open ${leaseId} ${port}.`,
    );
  }
  const verified = deps.auth.verifyLink(cookie, 'port', leaseId, port);
  if (!verified.ok) return refuse(verified.error.status, 'Link not valid', verified.error.message);
  const target = await deps.targets.resolve(verified.value.owner, leaseId, port);
  switch (target.kind) {
    case 'open':
      return { kind: 'admit', value: { address, upstream: `http://${target.host}:${target.port}` } };
    case 'ended':
      return refuse(
        410,
        'Lease ended',
        `Lease ${leaseId} has ended, and its container with it. Start another with /lease provision.`,
      );
    case 'starting':
      return refuse(503, 'Still starting', `Lease ${leaseId} is still starting; try again in a moment.`);
    case 'forbidden':
      return refuse(403, 'Not yours', `Lease ${leaseId} belongs to someone else.`);
    case 'unreachable':
      return refuse(
        502,
        'No address',
        `The container of lease ${leaseId} has no network address the proxy can reach.`,
      );
  }
}

function refuse(status: number, title: string, message: string): GateResult {
  return { kind: 'refuse', refusal: { status, title, message } };
}
