import { type ZodType, z } from 'zod';
import { ValidationError } from '../core/errors.js';

/**
 * The shapes of the API's request bodies. They check types and refuse unknown fields; the rules
 * (known image, minutes within the limits) stay in LeaseService, which words them for every front-end.
 */
export const provisionBody = z.strictObject({
  imageType: z.string().min(1).max(64),
  durationMinutes: z.number().optional(),
  /** A port to open at once: the answer carries its link. */
  port: z.number().optional(),
});

export const extendBody = z.strictObject({
  minutes: z.number(),
});

/**
 * Body of `DELETE /api/containers/<id>`, optional: an admin's reason, told to the owner (the
 * admin service bounds it by STOP_REASON_MAX and refuses it from anyone else).
 */
export const stopBody = z.strictObject({
  reason: z.string().optional(),
});

export const execBody = z.strictObject({
  command: z.string(),
  timeoutSeconds: z.number().optional(),
});

/** Query of `GET /api/containers`: `?all=1` lists every lease (admins only). */
export const listQuery = z.object({
  all: z.enum(['0', '1', 'true', 'false']).optional(),
});

/**
 * An ISO 8601 date, or date and time with an optional zone. Checked before `Date.parse`, which
 * also takes forms no one means as a time here ("-5", "May 5", "Tue").
 */
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Epoch milliseconds, or NaN where the text is no time. */
function instantOf(text: string): number {
  if (/^\d{1,15}$/.test(text)) return Number(text);
  return ISO_8601.test(text) ? Date.parse(text) : Number.NaN;
}

/** A time in a query: epoch milliseconds, or an ISO 8601 date and time. */
const instant = z
  .string()
  .max(40)
  .refine((text) => !Number.isNaN(instantOf(text)), {
    message: 'must be epoch milliseconds or an ISO 8601 time, e.g. 2026-11-30T08:00:00Z',
  })
  .transform(instantOf);

/** Query of `GET /api/audit`: filters, the page size and where to continue, JSON or CSV. */
export const auditQuery = z.strictObject({
  lease: z.string().max(40).optional(),
  owner: z.string().max(140).optional(),
  since: instant.optional(),
  until: instant.optional(),
  limit: z
    .string()
    .regex(/^\d{1,9}$/, { message: 'must be a whole number' })
    .transform(Number)
    .optional(),
  after: z
    .string()
    .regex(/^\d{1,20}-\d{1,20}$/, { message: 'must be the next value of a previous page' })
    .optional(),
  format: z.enum(['json', 'csv']).optional(),
});

/** Query of `GET /api/usage`: over how many days. */
export const usageQuery = z.strictObject({
  days: z
    .string()
    .regex(/^\d{1,6}$/, { message: 'must be a whole number of days' })
    .transform(Number)
    .optional(),
});

/** The parsed value, or a validation error naming every problem (400). */
export function parseWith<T>(schema: ZodType<T>, input: unknown, what: string): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => describeIssue(issue, input));
  throw new ValidationError(`Invalid ${what}: ${problems.join('; ')}.`, {
    details: { fields: parsed.error.issues.map((issue) => issue.path.join('.')) },
  });
}

type Issue = z.core.$ZodIssue;

function describeIssue(issue: Issue, input: unknown): string {
  const field = issue.path.length > 0 ? `"${issue.path.join('.')}"` : 'the body';
  switch (issue.code) {
    case 'invalid_type': {
      const actual = typeName(valueAt(input, issue.path));
      const expected = issue.expected === 'object' ? 'a JSON object' : `a ${issue.expected}`;
      return actual === 'missing'
        ? `${field} is required (${expected})`
        : `${field} must be ${expected} (got ${actual})`;
    }
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `"${key.slice(0, 40)}"`).join(', ')}`;
    case 'too_small':
      return `${field} must not be empty`;
    case 'too_big':
      return `${field} is too long (at most ${String(issue.maximum)})`;
    case 'invalid_value':
      return `${field} must be one of ${issue.values.map(String).join(', ')}`;
    default:
      return `${field}: ${issue.message}`;
  }
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function typeName(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
