import { z } from 'zod';
import { parseBytes, parseDuration } from './units.js';

/** The building blocks of variable schemas: text as environment variables hold it, to typed values. */

export const wholeNumber = (min: number, max: number) =>
  z.string().regex(/^\d+$/).transform(Number).pipe(z.number().int().min(min).max(max));

/** Text that `parse` understands, as its number. */
const parsedBy = (parse: (text: string) => number | undefined) =>
  z
    .string()
    .refine((text) => parse(text) !== undefined)
    .transform((text) => parse(text) as number);

export const duration = (minMs: number, maxMs: number) =>
  parsedBy(parseDuration).pipe(z.number().min(minMs).max(maxMs));

export const bytes = (min: number) => parsedBy(parseBytes).pipe(z.number().min(min));

export const httpUrl = z
  .string()
  .url()
  .refine((text) => /^https?:\/\//.test(text))
  .transform((text) => text.replace(/\/+$/, ''));

export const commaList = z.string().transform((text) =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean),
);
