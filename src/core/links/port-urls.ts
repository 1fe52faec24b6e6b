/**
 * Where browsers reach the port proxy: its origin (PORTS_URL) and, when PORTS_DOMAIN is set, the
 * domain under which it also serves each lease's port as a host of its own.
 */
export interface PortsAddress {
  readonly url: string;
  readonly domain?: string;
}

/** The query parameter a port link carries its token in; one an app is unlikely to use itself. */
export const PORT_LINK_PARAM = 'cl_token';

/**
 * The public root of one port of one lease, without a trailing slash: `<PORTS_URL>/<id>/<port>`,
 * or `<scheme>://<id>-<port>.<PORTS_DOMAIN>[:<port of PORTS_URL>]` for apps that must sit at `/`.
 */
export function portBaseUrl(address: PortsAddress, leaseId: string, port: number): string {
  const url = new URL(address.url);
  if (address.domain === undefined) return `${url.origin}/${leaseId}/${port}`;
  return `${url.protocol}//${leaseId}-${port}.${address.domain}${url.port ? `:${url.port}` : ''}`;
}
