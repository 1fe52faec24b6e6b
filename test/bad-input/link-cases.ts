import { LinkTokens } from '../../src/core/links/link-tokens.js';

/** A link or cookie used where it grants nothing: refused with `status`, and never a session cookie. */
export interface LinkCase {
  readonly name: string;
  /** A page or API request, or a WebSocket upgrade of the log socket. */
  readonly kind: 'http' | 'upgrade';
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  readonly status: number;
}

export interface LinkCaseSetup {
  readonly secret: string;
  /** The public origin, sent as Origin where a browser would. */
  readonly origin: string;
  /** A running lease of `owner` and another lease id. */
  readonly leaseId: string;
  readonly otherLeaseId: string;
  /** An `api:` owner whose token is in API_TOKENS. */
  readonly owner: string;
}

/**
 * A logs link is one lease's logs and final logs, nothing else: not the API, not the dashboard,
 * not another lease, not a session. And an `api:` owner whose token is not in API_TOKENS has no
 * session and no link that works.
 */
export function badLinkUses(setup: LinkCaseSetup): LinkCase[] {
  const { leaseId, otherLeaseId, origin } = setup;
  const exp = Date.now() + 3_600_000;
  const tokens = new LinkTokens(setup.secret, Date.now);
  const logs = tokens.sign({ leaseId, owner: setup.owner, scope: 'logs', exp });
  const session = tokens.sign({ leaseId: '*', owner: setup.owner, scope: 'session', exp });
  const removed = 'api:removed-from-api-tokens';
  const removedSession = tokens.sign({ leaseId: '*', owner: removed, scope: 'session', exp });
  const removedLogs = tokens.sign({ leaseId, owner: removed, scope: 'logs', exp });
  const write = { 'x-requested-by': 'containerlease', origin, 'content-type': 'application/json' };
  const http = (
    name: string,
    method: LinkCase['method'],
    path: string,
    headers: Record<string, string>,
    status: number,
    body?: string,
  ): LinkCase => ({ name, kind: 'http', method, path, headers, status, body });
  const upgrade = (
    name: string,
    path: string,
    headers: Record<string, string>,
    status: number,
  ): LinkCase => ({
    name,
    kind: 'upgrade',
    method: 'GET',
    path,
    headers: { origin, ...headers },
    status,
  });
  return [
    http('a logs token as an API bearer token', 'GET', '/api/me', { authorization: `Bearer ${logs}` }, 401),
    http('a logs token in the query of an API call', 'GET', `/api/containers?token=${logs}`, {}, 401),
    http('a logs cookie on the API', 'GET', '/api/me', { cookie: `cl_lease=${logs}` }, 401),
    http('a logs cookie listing the leases', 'GET', '/api/containers', { cookie: `cl_lease=${logs}` }, 401),
    http(
      'a logs cookie stopping its lease',
      'DELETE',
      `/api/containers/${leaseId}`,
      { ...write, cookie: `cl_lease=${logs}` },
      401,
    ),
    http(
      'a logs cookie extending its lease',
      'POST',
      `/api/containers/${leaseId}/extend`,
      { ...write, cookie: `cl_lease=${logs}` },
      401,
      '{"minutes":30}',
    ),
    http(
      'a logs cookie provisioning',
      'POST',
      '/api/provision',
      { ...write, cookie: `cl_lease=${logs}` },
      401,
      '{"imageType":"busybox"}',
    ),
    http(
      'a logs token reused as the session cookie',
      'GET',
      '/api/me',
      { cookie: `cl_session=${logs}` },
      403,
    ),
    http(
      'a logs token reused as the session cookie, writing',
      'DELETE',
      `/api/containers/${leaseId}`,
      { ...write, cookie: `cl_session=${logs}` },
      403,
    ),
    http('a logs link opened as the dashboard link', 'GET', `/?token=${logs}`, {}, 403),
    http('a logs link opened on another lease', 'GET', `/logs/${otherLeaseId}?token=${logs}`, {}, 403),
    http(
      'a logs link for the final logs of another lease',
      'GET',
      `/logs/${otherLeaseId}/final?token=${logs}`,
      {},
      403,
    ),
    http(
      'a logs cookie for the final logs of another lease',
      'GET',
      `/logs/${otherLeaseId}/final`,
      { cookie: `cl_lease=${logs}` },
      401,
    ),
    http(
      'a logs token as a bearer token for final logs',
      'GET',
      `/logs/${leaseId}/final`,
      { authorization: `Bearer ${logs}` },
      401,
    ),
    http(
      'a session token as an API bearer token',
      'GET',
      '/api/me',
      { authorization: `Bearer ${session}` },
      401,
    ),
    http(
      'a session token as the logs cookie of final logs',
      'GET',
      `/logs/${leaseId}/final`,
      { cookie: `cl_lease=${session}` },
      401,
    ),
    upgrade('a logs link on the socket of another lease', `/logs/${otherLeaseId}?token=${logs}`, {}, 403),
    upgrade(
      'a logs cookie on the socket of another lease',
      `/logs/${otherLeaseId}`,
      { cookie: `cl_lease=${logs}` },
      401,
    ),
    upgrade(
      'a logs token reused as the session cookie on the socket',
      `/logs/${leaseId}`,
      { cookie: `cl_session=${logs}` },
      403,
    ),
    http(
      'a session of an api: owner whose token was removed',
      'GET',
      '/api/me',
      { cookie: `cl_session=${removedSession}` },
      401,
    ),
    http(
      'the same, listing leases',
      'GET',
      '/api/containers',
      { cookie: `cl_session=${removedSession}` },
      401,
    ),
    http(
      'the same, provisioning',
      'POST',
      '/api/provision',
      { ...write, cookie: `cl_session=${removedSession}` },
      401,
      '{"imageType":"busybox"}',
    ),
    http(
      'the dashboard link of an api: owner whose token was removed',
      'GET',
      `/?token=${removedSession}`,
      {},
      401,
    ),
    http(
      'the logs link of an api: owner whose token was removed',
      'GET',
      `/logs/${leaseId}?token=${removedLogs}`,
      {},
      401,
    ),
    http('the same, for the final logs', 'GET', `/logs/${leaseId}/final?token=${removedLogs}`, {}, 401),
    upgrade('the same, on the socket', `/logs/${leaseId}?token=${removedLogs}`, {}, 401),
    upgrade(
      'a session of a removed api: owner on the socket',
      `/logs/${leaseId}`,
      { cookie: `cl_session=${removedSession}` },
      401,
    ),
  ];
}
