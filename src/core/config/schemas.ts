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
/**
 * `name=value` pairs separated by commas, each name once, as a map; `parse` checks one pair and
 * gives its value, or undefined when the pair is bad. No pair is echoed: values may be secrets.
 */
export const pairList = <V>(parse: (name: string, value: string) => V | undefined) =>
  z.string().transform((text, ctx) => {
    const pairs = new Map<string, V>();
    for (const pair of text
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean)) {
      const at = pair.indexOf('=');
      const [name, value] = [pair.slice(0, at), pair.slice(at + 1)];
      const parsed = at > 0 ? parse(name, value) : undefined;
      if (parsed === undefined || pairs.has(name)) {
        ctx.addIssue({ code: 'custom', message: 'bad pair' });
        return z.NEVER;
      }
      pairs.set(name, parsed);
    }
    return pairs;
  });
