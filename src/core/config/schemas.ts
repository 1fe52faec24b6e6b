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

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

const HOST_PORT = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;

/** `host:port,host:port` (an IPv6 host in brackets): at least one, each port from 1 to 65535. */
export const hostPorts = commaList.transform((items, ctx) => {
  const nodes: HostPort[] = [];
  for (const item of items) {
    const match = HOST_PORT.exec(item);
    const port = Number(match?.[2]);
    if (!match?.[1] || port < 1 || port > 65_535) {
      ctx.addIssue({ code: 'custom', message: 'bad host:port' });
      return z.NEVER;
    }
    nodes.push({ host: match[1].replace(/^\[|\]$/g, ''), port });
  }
  if (nodes.length === 0) {
    ctx.addIssue({ code: 'custom', message: 'empty' });
    return z.NEVER;
  }
  return nodes;
});
