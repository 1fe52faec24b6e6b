import type { z } from 'zod';
import { ConfigError } from '../errors.js';
import { redactCredentials } from '../redact.js';

/** The environment as the product reads it. */
export type Env = Readonly<Record<string, string | undefined>>;

/** `[schema, what it expects]` per variable; an absent or empty variable takes its default. */
export type VariableTable = Record<string, readonly [z.ZodType, string]>;

export type VariableValues<T extends VariableTable> = { [K in keyof T]: z.output<T[K][0]> };

/**
 * Reads and validates every variable of `table`; throws one ConfigError whose message names each
 * bad one with what it expects (never echoing a secret).
 */
export function readVariables<T extends VariableTable>(table: T, env: Env): VariableValues<T> {
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, [schema, expects]] of Object.entries(table)) {
    const raw = env[name]?.trim();
    const parsed = schema.safeParse(raw === '' ? undefined : raw);
    if (parsed.success) values[name] = parsed.data;
    else problems.push(describe(name, expects, raw));
  }
  if (problems.length > 0) throw new ConfigError(problems.join('; '));
  return values as VariableValues<T>;
}

function describe(name: string, expects: string, raw: string | undefined): string {
  // REDIS_URL may carry a password, and a malformed one need not look like a URL at all.
  const secret = /SECRET|TOKEN|KEY|REDIS_URL/.test(name);
  const text = raw === undefined ? '' : redactCredentials(raw);
  const shown =
    raw === undefined || secret ? '' : ` (got "${text.length > 60 ? `${text.slice(0, 60)}…` : text}")`;
  return `${name} must be ${expects}${shown}`;
}

/**
 * Runs every reader, so that one ConfigError names what is wrong in all of them, not only in the
 * first; any other error is thrown as it is.
 */
export function readAll<R extends readonly unknown[]>(readers: { readonly [K in keyof R]: () => R[K] }): R {
  const problems: string[] = [];
  const results = readers.map((read) => {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(error.message);
      return undefined;
    }
  });
  if (problems.length > 0) throw new ConfigError(problems.join('; '));
  return results as unknown as R;
}
