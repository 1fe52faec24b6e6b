import { asCodedError } from '../core/errors.js';
import { redactSecrets } from './logging.js';

/**
 * The last words of an entry point that could not do its job: one line on standard error naming
 * what to fix, never a stack trace; exit code 2 for bad configuration, 1 for anything else.
 */
export function exitOnFatal(name: string): (error: unknown) => never {
  return (error) => {
    const coded = asCodedError(error);
    const message = coded.code === 'internal' && error instanceof Error ? error.message : coded.message;
    console.error(`${name}: ${redactSecrets(message)}`);
    process.exit(coded.code === 'config' ? 2 : 1);
  };
}
