import { isLeaseId } from '../../core/domain/lease-id.js';
import { parsePortNumber } from '../../core/domain/port-number.js';
import { PORT_LINK_PARAM, type PortsAddress, portBaseUrl } from '../../core/links/port-urls.js';

/** Which port of which lease a request to the proxy is for, and how its app sees the path. */
export interface PortAddress {
  readonly leaseId: string;
  readonly port: number;
  /** The path form's `/<id>/<port>`; empty for a host of PORTS_DOMAIN, where the app sits at `/`. */
  readonly prefix: string;
  /** What the browser sees as the app's root: `<PORTS_URL>/<id>/<port>` or `<scheme>://<id>-<port>.<domain>`. */
  readonly publicBase: string;
  /** The path and query the app is sent: the request's, less the prefix and any link token. */
  readonly upstreamPath: string;
  /** The link token of `?cl_token=`, when the request follows a port link. */
  readonly linkToken?: string;
  /** The request's own path and query less the link token: where to go once the token became a cookie. */
  readonly pathWithoutToken: string;
}

export type AddressResult =
  | { readonly ok: true; readonly value: PortAddress }
  | { readonly ok: false; readonly status: 400 | 404; readonly message: string };

const USAGE = 'Ports are opened at /<lease id>/<port>/ with the link from /lease open <id> <port>.';

/**
 * Reads the lease and port from a request: `/<id>/<port>/…` on any host, or `/…` on
 * `<id>-<port>.<PORTS_DOMAIN>`. A port outside 1–65535, or text that is not a lease id, is a 400
 * naming what is wrong; a path that names nothing at all is a 404. Nothing here says whether the
 * lease exists or the caller may open it.
 */
export function readPortAddress(
  rawUrl: string | undefined,
  host: string | undefined,
  ports: PortsAddress,
): AddressResult {
  let url: URL;
  try {
    url = new URL(rawUrl ?? '/', 'http://proxy.invalid');
  } catch {
    return bad(400, 'That address is not a valid URL.');
  }
  const linkToken = url.searchParams.get(PORT_LINK_PARAM) ?? undefined;
  // The app gets its query as sent; only a link's own token is taken out (re-encoding the rest).
  if (linkToken !== undefined) url.searchParams.delete(PORT_LINK_PARAM);
  const query = linkToken === undefined ? rawQuery(rawUrl) : url.search;
  const onDomain = ports.domain === undefined ? undefined : hostLabel(host, ports.domain);
  if (onDomain !== undefined) {
    const named = splitLabel(onDomain);
    if (!named.ok) return named;
    const { leaseId, port } = named;
    const path = `${url.pathname}${query}`;
    return found({ leaseId, port, prefix: '', ports, upstreamPath: path, linkToken, pathWithoutToken: path });
  }
  const match = /^\/([^/]+)\/([^/]+)(\/.*)?$/.exec(url.pathname);
  if (!match?.[1] || !match[2]) return bad(404, USAGE);
  const leaseId = match[1].toLowerCase();
  if (!isLeaseId(leaseId)) return bad(400, `"${match[1].slice(0, 20)}" is not a lease id. ${USAGE}`);
  const port = parsePortNumber(match[2]);
  if (port === undefined)
    return bad(400, `"${match[2].slice(0, 20)}" is not a port: ports are whole numbers from 1 to 65535.`);
  const rest = match[3] ?? '';
  return found({
    leaseId,
    port,
    prefix: `/${leaseId}/${port}`,
    ports,
    upstreamPath: `${rest || '/'}${query}`,
    linkToken,
    pathWithoutToken: `/${leaseId}/${port}${rest || '/'}${query}`,
  });
}

function rawQuery(rawUrl: string | undefined): string {
  const start = rawUrl?.indexOf('?') ?? -1;
  return start < 0 || rawUrl === undefined ? '' : rawUrl.slice(start);
}

function found(parts: {
  leaseId: string;
  port: number;
  prefix: string;
  ports: PortsAddress;
  upstreamPath: string;
  linkToken: string | undefined;
  pathWithoutToken: string;
}): AddressResult {
  const { ports, linkToken, ...rest } = parts;
  // The form the request came in decides the root the browser sees, whatever else is configured.
  const form = parts.prefix === '' ? ports : { url: ports.url };
  const publicBase = portBaseUrl(form, parts.leaseId, parts.port);
  return { ok: true, value: { ...rest, publicBase, ...(linkToken === undefined ? {} : { linkToken }) } };
}

/** The first label of a host under `domain` (port ignored, case folded), or undefined for another host. */
function hostLabel(host: string | undefined, domain: string): string | undefined {
  const name = host?.replace(/:\d+$/, '').toLowerCase();
  const suffix = `.${domain}`;
  if (!name?.endsWith(suffix)) return undefined;
  return name.slice(0, -suffix.length);
}

function splitLabel(
  label: string,
): { ok: true; leaseId: string; port: number } | { ok: false; status: 400; message: string } {
  const match = /^([^.]+)-([^.-]+)$/.exec(label);
  const leaseId = match?.[1];
  const port = match?.[2] === undefined ? undefined : parsePortNumber(match[2]);
  if (!leaseId || !isLeaseId(leaseId))
    return bad(400, `"${label.slice(0, 40)}" does not name a lease: hosts here are <lease id>-<port>.`);
  if (port === undefined)
    return bad(400, `"${label.slice(0, 40)}" does not name a port: ports are whole numbers from 1 to 65535.`);
  return { ok: true, leaseId, port };
}

function bad<S extends 400 | 404>(status: S, message: string): { ok: false; status: S; message: string } {
  return { ok: false, status, message };
}
