import type {
  AuditEntryJson,
  ErrorJson,
  ImageJson,
  LeaseJson,
  MeJson,
  PortLinkJson,
  ProvisionedJson,
  UsageJson,
} from '../api-types.js';

/** A failed API call, with the server's code and message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Calls the REST API with the session cookie. Every request carries `X-Requested-By`, which the
 * server demands of cookie-authenticated writes (another site cannot send it).
 */
async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { 'x-requested-by': 'containerlease', accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, 'network', 'The server cannot be reached; check your connection.');
  }
  if (response.status === 204) return undefined as T;
  const json = (await response.json().catch(() => undefined)) as T | ErrorJson | undefined;
  if (response.ok) return json as T;
  const error = (json as ErrorJson | undefined)?.error;
  throw new ApiError(response.status, error?.code ?? 'internal', error?.message ?? `HTTP ${response.status}`);
}

export const api = {
  me: () => request<MeJson>('GET', '/api/me'),
  images: () => request<{ images: ImageJson[] }>('GET', '/api/images').then((reply) => reply.images),
  list: () =>
    request<{ containers: LeaseJson[] }>('GET', '/api/containers').then((reply) => reply.containers),
  /** Every lease (admins only). */
  listAll: () =>
    request<{ containers: LeaseJson[] }>('GET', '/api/containers?all=1').then((reply) => reply.containers),
  get: (id: string) => request<LeaseJson>('GET', `/api/containers/${encodeURIComponent(id)}`),
  provision: (imageType: string, durationMinutes: number, port?: number) =>
    request<ProvisionedJson>('POST', '/api/provision', { imageType, durationMinutes, port }),
  portLink: (id: string, port: number) =>
    request<PortLinkJson>('POST', `/api/containers/${encodeURIComponent(id)}/ports/${port}/link`),
  extend: (id: string, minutes: number) =>
    request<LeaseJson>('POST', `/api/containers/${encodeURIComponent(id)}/extend`, { minutes }),
  /** A reason (admins only) is told to the lease's owner; an empty one is no reason. */
  stop: (id: string, reason?: string) =>
    request<void>(
      'DELETE',
      `/api/containers/${encodeURIComponent(id)}`,
      reason?.trim() ? { reason } : undefined,
    ),
  usage: (days: number) => request<UsageJson>('GET', `/api/usage?days=${days}`),
  audit: (leaseId: string) =>
    request<{ entries: AuditEntryJson[] }>('GET', `/api/audit?lease=${encodeURIComponent(leaseId)}`).then(
      (reply) => reply.entries,
    ),
};

/** What to tell the reader of the dashboard when a call failed because they are not signed in. */
export function signInHint(error: ApiError): string | undefined {
  if (error.status === 401) {
    return `${error.message} The dashboard needs a dashboard link (npm start prints one); a logs link shows one lease's logs only.`;
  }
  return undefined;
}
