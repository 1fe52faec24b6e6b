import type { Response } from 'express';
import { asCodedError, CodedError, type ErrorCode } from '../core/errors.js';

/**
 * The one mapping from an error code to an HTTP status. `limit_exceeded` (an extension past the
 * hard cap) is 409 like `conflict`: the same request succeeds or not depending on the lease's
 * current state. `image_unavailable` is 503 with the engine's and the store's failures: the
 * request was fine, a dependency could not serve it.
 */
export const STATUS_BY_CODE: Readonly<Record<ErrorCode, number>> = {
  validation: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  limit_exceeded: 409,
  quota_exceeded: 429,
  team_quota_exceeded: 429,
  image_unavailable: 503,
  runtime_unavailable: 503,
  store_unavailable: 503,
  config: 500,
  internal: 500,
};

/** What an error response carries: `{"error":{"code","message"}}` with `status`. */
export interface Problem {
  readonly status: number;
  readonly code: ErrorCode;
  readonly message: string;
}

/** Bad input that HTTP has its own status for: a body too large (413), a wrong content type (415). */
export class HttpInputError extends CodedError {
  constructor(
    readonly status: 413 | 415,
    message: string,
  ) {
    super('validation', message);
  }
}

/** A coded error as a problem; the status follows the code unless the transport knows better. */
export function problemOf(error: unknown): Problem {
  const coded = asCodedError(error);
  const status = coded instanceof HttpInputError ? coded.status : STATUS_BY_CODE[coded.code];
  return { status, code: coded.code, message: coded.message };
}

export function sendProblem(res: Response, problem: Problem): void {
  res.status(problem.status).json({ error: { code: problem.code, message: problem.message } });
}
