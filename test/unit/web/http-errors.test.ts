import { describe, expect, it } from 'vitest';
import { CodedError, ERROR_CODES } from '../../../src/core/errors.js';
import { transportProblem } from '../../../src/web/error-handler.js';
import { HttpInputError, problemOf, STATUS_BY_CODE } from '../../../src/web/http-errors.js';

describe('the error code → HTTP status mapping', () => {
  it('GIVEN every error code THEN a status; only config and internal are 5xx besides unavailable dependencies', () => {
    for (const code of ERROR_CODES) expect(STATUS_BY_CODE[code]).toBeGreaterThanOrEqual(400);
    const serverSide = ERROR_CODES.filter((code) => STATUS_BY_CODE[code] >= 500).sort();
    expect(serverSide).toEqual([
      'config',
      'image_unavailable',
      'internal',
      'runtime_unavailable',
      'store_unavailable',
    ]);
  });

  it('GIVEN a coded error THEN its status and message; GIVEN an unknown error THEN 500 internal without its text', () => {
    expect(problemOf(new CodedError('quota_exceeded', 'Too many.'))).toEqual({
      status: 429,
      code: 'quota_exceeded',
      message: 'Too many.',
    });
    const internal = problemOf(new Error('ECONNRESET at 10.0.0.7'));
    expect(internal).toMatchObject({ status: 500, code: 'internal' });
    expect(internal.message).not.toMatch(/10\.0\.0\.7/);
    expect(problemOf(new HttpInputError(415, 'JSON please'))).toMatchObject({
      status: 415,
      code: 'validation',
    });
  });

  it('GIVEN body-parser failures THEN 400, 413 and 415 as validation; GIVEN a non-HTTP error THEN nothing', () => {
    expect(
      transportProblem({ status: 400, type: 'entity.parse.failed', message: 'Unexpected end' }),
    ).toMatchObject({
      status: 400,
      code: 'validation',
    });
    expect(transportProblem({ status: 413, type: 'entity.too.large', limit: 16384 })?.status).toBe(413);
    expect(transportProblem({ status: 415, type: 'charset.unsupported', message: 'x' })?.status).toBe(415);
    expect(transportProblem(new Error('boom'))).toBeUndefined();
    expect(transportProblem({ status: 500, type: 'x' })).toBeUndefined();
  });
});
