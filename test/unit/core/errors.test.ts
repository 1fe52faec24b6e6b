import { describe, expect, it } from 'vitest';
import { asCodedError, CodedError, QuotaExceededError } from '../../../src/core/errors.js';

describe('errors', () => {
  it('GIVEN a coded error THEN it serialises to code and message only', () => {
    const error = new QuotaExceededError('You already hold 3 leases.');
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      code: 'quota_exceeded',
      message: 'You already hold 3 leases.',
    });
  });

  it('GIVEN a plain { code, message } from a worker thread THEN it keeps its code', () => {
    const error = asCodedError({ code: 'not_found', message: 'There is no lease x.' });
    expect(error).toBeInstanceOf(CodedError);
    expect(error.code).toBe('not_found');
  });

  it('GIVEN anything else THEN it becomes internal without leaking the original message', () => {
    const error = asCodedError(new TypeError('cannot read properties of undefined (reading "secret")'));
    expect(error.code).toBe('internal');
    expect(error.message).not.toContain('secret');
    expect(asCodedError({ code: 'made_up', message: 'x' }).code).toBe('internal');
  });
});
