import type { Logger } from '../../../src/core/ports/logger.js';

/** A logger that keeps warnings and errors, so a test can show what the bot complained about. */
export function recordingLogger(): Logger & { readonly warnings: string[]; readonly errors: string[] } {
  const warnings: string[] = [];
  const errors: string[] = [];
  const into = (list: string[]) => (fields: object, message?: string) => {
    list.push(`${message ?? ''} ${JSON.stringify(fields)}`.trim());
  };
  return { warnings, errors, debug() {}, info() {}, warn: into(warnings), error: into(errors) };
}
