/**
 * The one catalogue of failures that users and operators can see. Every front-end (REST, Slack,
 * Discord, console) renders an error by its `code`; codes, not `instanceof`, decide behaviour,
 * because errors cross worker-thread and process boundaries as plain `{ code, message }`.
 */
export const ERROR_CODES = [
  'validation',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'quota_exceeded',
  'team_quota_exceeded',
  'limit_exceeded',
  'image_unavailable',
  'runtime_unavailable',
  'store_unavailable',
  'config',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** Base of every error the product raises on purpose. `message` is written for the end user. */
export class CodedError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    code: ErrorCode,
    message: string,
    options?: { cause?: unknown; details?: Record<string, unknown> },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CodedError';
    this.code = code;
    this.details = options?.details ?? {};
  }

  toJSON(): { code: ErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}

type Options = ConstructorParameters<typeof CodedError>[2];

/** Bad input from a user: a missing field, a wrong type, an unknown image, too many minutes. */
export class ValidationError extends CodedError {
  constructor(message: string, options?: Options) {
    super('validation', message, options);
  }
}

/** No credentials, or credentials we cannot verify. */
export class UnauthorizedError extends CodedError {
  constructor(message = 'Sign in first: use a link from the bot or an API token.', options?: Options) {
    super('unauthorized', message, options);
  }
}

/** A known caller asked for someone else's lease. */
export class ForbiddenError extends CodedError {
  constructor(message = 'That lease belongs to someone else.', options?: Options) {
    super('forbidden', message, options);
  }
}

export class NotFoundError extends CodedError {
  constructor(message: string, options?: Options) {
    super('not_found', message, options);
  }
}

/** The request is valid but the lease is in a state that does not allow it. */
export class ConflictError extends CodedError {
  constructor(message: string, options?: Options) {
    super('conflict', message, options);
  }
}

/** The caller already holds as many leases as the per-user limit allows. */
export class QuotaExceededError extends CodedError {
  constructor(message: string, options?: Options) {
    super('quota_exceeded', message, options);
  }
}

/** The caller's team (Slack workspace, Discord server, `api`) already holds its TEAM_QUOTAS limit. */
export class TeamQuotaExceededError extends CodedError {
  constructor(message: string, options?: Options) {
    super('team_quota_exceeded', message, options);
  }
}

/** A lease cannot be extended past its hard cap. */
export class LimitExceededError extends CodedError {
  constructor(message: string, options?: Options) {
    super('limit_exceeded', message, options);
  }
}

/** The image is not local and could not be pulled. */
export class ImageUnavailableError extends CodedError {
  constructor(message: string, options?: Options) {
    super('image_unavailable', message, options);
  }
}

/** The Docker engine could not be reached or failed unexpectedly. */
export class RuntimeUnavailableError extends CodedError {
  constructor(message: string, options?: Options) {
    super('runtime_unavailable', message, options);
  }
}

/** Redis could not be reached or refused a command. */
export class StoreUnavailableError extends CodedError {
  constructor(message: string, options?: Options) {
    super('store_unavailable', message, options);
  }
}

/** A configuration variable is missing or malformed; start-up stops. */
export class ConfigError extends CodedError {
  constructor(message: string, options?: Options) {
    super('config', message, options);
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/**
 * Wraps anything thrown into a CodedError. Plain `{ code, message }` objects (as they arrive from
 * a worker thread) keep their code; anything unknown becomes `internal` with a message that does
 * not leak internals to users.
 */
export function asCodedError(error: unknown): CodedError {
  if (error instanceof CodedError) return error;
  if (typeof error === 'object' && error !== null) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    if (isErrorCode(code) && typeof message === 'string')
      return new CodedError(code, message, { cause: error });
  }
  return new CodedError(
    'internal',
    'Something went wrong on our side; the operator can find details in the logs.',
    {
      cause: error,
    },
  );
}
