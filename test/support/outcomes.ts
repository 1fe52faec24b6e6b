import { asCodedError, type CodedError } from '../../src/core/errors.js';

/** The error code a call fails with, or `resolved`. */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return asCodedError(error).code;
  }
}

/** The coded error a call fails with; a call that succeeds fails the test. */
export async function failureOf(promise: Promise<unknown>): Promise<CodedError> {
  try {
    await promise;
  } catch (error) {
    return asCodedError(error);
  }
  throw new Error('expected the call to fail, but it succeeded');
}
