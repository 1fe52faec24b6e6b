import { RuntimeUnavailableError } from '../../errors.js';
import { DeadlineExceeded } from './docker-deadlines.js';

/** The HTTP status of a Docker Engine API error, as docker-modem reports it. */
export function dockerStatus(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ENOENT',
  'EACCES',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EPIPE',
]);

/** Node's codes for a TLS handshake that failed: a certificate not trusted, expired or for another name. */
const TLS_FAILURE = /CERT|SELF_SIGNED|UNABLE_TO_|^ERR_TLS_|^ERR_SSL_|^EPROTO$/;

export function isConnectionFailure(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && (CONNECTION_CODES.has(code) || TLS_FAILURE.test(code));
}

/**
 * An engine that cannot be reached, that does not answer in time, or that refuses an operation we
 * did not expect it to refuse, is `runtime_unavailable`, naming where we looked and what it said.
 * `details.engine` says when the engine as a whole is out (`unreachable`, `unresponsive`), not
 * just this one operation, so the cleanup job stops asking it for the rest of its run.
 */
export function runtimeFailure(error: unknown, where: string, action: string): Error {
  if (isConnectionFailure(error)) {
    const code = (error as NodeJS.ErrnoException).code;
    const hint =
      code === 'EACCES'
        ? 'this user may not use the Docker socket'
        : code && TLS_FAILURE.test(code)
          ? "the TLS handshake failed: are DOCKER_CERT_PATH's certificates the engine's?"
          : 'is the Docker engine running?';
    return new RuntimeUnavailableError(`Docker engine unreachable at ${where} (${code}): ${hint}`, {
      cause: error,
      details: { engine: 'unreachable' },
    });
  }
  if (error instanceof DeadlineExceeded) {
    return new RuntimeUnavailableError(
      `Docker engine at ${where} did not ${action} within ${error.ms / 1000} s: is it hung?`,
      { cause: error, details: { engine: 'unresponsive' } },
    );
  }
  const status = dockerStatus(error);
  if (status !== undefined && status >= 400) {
    return new RuntimeUnavailableError(`Docker engine at ${where} could not ${action}: ${reason(error)}`, {
      cause: error,
    });
  }
  return error instanceof Error ? error : new Error(String(error));
}

export function reason(error: unknown): string {
  const json = (error as { json?: { message?: unknown } } | null)?.json;
  if (json && typeof json.message === 'string') return json.message;
  return error instanceof Error ? error.message : String(error);
}
