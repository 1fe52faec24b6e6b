import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../core/ports/logger.js';
import { type Problem, problemOf, sendProblem } from './http-errors.js';

/** What body-parser and Express attach to the errors they raise (http-errors). */
interface TransportError {
  readonly status?: unknown;
  readonly type?: unknown;
  readonly limit?: unknown;
  readonly message?: unknown;
}

/**
 * Failures the HTTP layer detects before a route runs (broken JSON, a body over the limit, an
 * unknown charset, a malformed URL) are the caller's fault: each gets a 4xx that names it.
 */
export function transportProblem(error: unknown): Problem | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, type, limit, message } = error as TransportError;
  if (typeof status !== 'number' || status < 400 || status > 499) return undefined;
  switch (type) {
    case 'entity.parse.failed':
      return { status: 400, code: 'validation', message: `The body is not valid JSON: ${String(message)}.` };
    case 'entity.too.large':
      return {
        status: 413,
        code: 'validation',
        message: `The body is too large; at most ${String(limit)} bytes are accepted.`,
      };
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return { status: 415, code: 'validation', message: `${String(message)}; send UTF-8 JSON.` };
    default:
      return { status, code: 'validation', message: typeof message === 'string' ? message : 'Bad request.' };
  }
}

/** The last middleware: every error becomes `{"error":{"code","message"}}`; only our own faults are 5xx. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const problem = transportProblem(error) ?? problemOf(error);
    if (problem.status >= 500) {
      logger.error(
        { method: req.method, path: req.path, code: problem.code, error: describe(error) },
        'request failed',
      );
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    sendProblem(res, problem);
  };
}

export const notFoundHandler: RequestHandler = (req, res) => {
  sendProblem(res, {
    status: 404,
    code: 'not_found',
    message: `There is no ${req.method} ${req.baseUrl}${req.path} here.`,
  });
};

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (cause: ${error.cause.message})` : '';
  return `${error.message}${cause}`;
}
