import { describe, expect, it } from 'vitest';
import type { LeasePolicy } from '../../../../src/core/config/config.js';
import { ImageCatalog, type ImageType } from '../../../../src/core/config/image-catalog.js';
import { ValidationError } from '../../../../src/core/errors.js';
import {
  maxMinutesFor,
  requireImage,
  requireLeaseId,
  requireMinutes,
  requirePort,
} from '../../../../src/core/services/lease-rules.js';

const image = (name: string, maxMinutes?: number): ImageType => ({
  name,
  image: `local/${name}:latest`,
  cmd: ['sleep', 'infinity'],
  description: name,
  maxMinutes,
  capAdd: [],
});
const policy = { maxMinutes: 480 } as LeasePolicy;

/** The refusal `act` throws: a ValidationError naming its field, with what else it names. */
function refusalOf(act: () => unknown): { message: string; details: Readonly<Record<string, unknown>> } {
  try {
    act();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    const { message, details } = error as ValidationError;
    return { message, details };
  }
  throw new Error('expected a refusal');
}

describe('lease rules', () => {
  it('GIVEN an image with a maximum below, above or without one THEN the lower of it and the policy', () => {
    expect(maxMinutesFor(image('short', 30), policy)).toBe(30);
    expect(maxMinutesFor(image('long', 1_000), policy)).toBe(480);
    expect(maxMinutesFor(image('plain'), policy)).toBe(480);
  });

  it('GIVEN a known image in any case THEN it; an unknown one THEN refused naming the choices, a long name cut at 40', () => {
    const catalog = new ImageCatalog([image('alpine'), image('debian')]);
    expect(requireImage(catalog, 'ALPINE').name).toBe('alpine');
    expect(refusalOf(() => requireImage(catalog, 'fedora'))).toEqual({
      message: 'Unknown image "fedora". Choose one of: alpine, debian.',
      details: { field: 'imageType' },
    });
    const long = 'x'.repeat(41);
    expect(refusalOf(() => requireImage(catalog, long)).message).toContain(`"${'x'.repeat(40)}…"`);
    expect(refusalOf(() => requireImage(catalog, long.slice(1))).message).toContain(`"${'x'.repeat(40)}"`);
  });

  it('GIVEN no minutes THEN the default, never above the maximum; GIVEN 1 or the maximum THEN as asked', () => {
    expect(requireMinutes(undefined, 480, 60)).toBe(60);
    expect(requireMinutes(undefined, 30, 60)).toBe(30);
    expect(requireMinutes(1, 480, 60)).toBe(1);
    expect(requireMinutes(480, 480, 60)).toBe(480);
  });

  it('GIVEN minutes that are not whole, below 1 or above the maximum THEN refused, the limit named', () => {
    expect(refusalOf(() => requireMinutes(1.5, 480, 60))).toEqual({
      message: 'Minutes must be a whole number (got 1.5).',
      details: { field: 'minutes' },
    });
    expect(refusalOf(() => requireMinutes(0, 480, 60))).toEqual({
      message: 'Minutes must be at least 1 (got 0).',
      details: { field: 'minutes' },
    });
    expect(refusalOf(() => requireMinutes(481, 480, 60))).toEqual({
      message: 'At most 480 minutes are allowed here (got 481).',
      details: { field: 'minutes', max: 480 },
    });
  });

  it('GIVEN a lease id with spaces or capitals THEN it, trimmed and lower-cased; anything else THEN refused, cut at 20', () => {
    expect(requireLeaseId('  7K2M9X4QPZ ')).toBe('7k2m9x4qpz');
    expect(refusalOf(() => requireLeaseId('nope'))).toEqual({
      message: '"nope" is not a lease id; ids look like 7k2m9x4qpz (see /lease list).',
      details: { field: 'id' },
    });
    expect(refusalOf(() => requireLeaseId('y'.repeat(21))).message).toMatch(/^"y{20}…" is not/);
    expect(refusalOf(() => requireLeaseId('y'.repeat(20))).message).toMatch(/^"y{20}" is not/);
  });

  it('GIVEN ports 1 and 65535 THEN allowed; 0, 65536 or a fraction THEN refused with the range, a bad value echoed at most 20 characters', () => {
    expect(requirePort(1)).toBe(1);
    expect(requirePort(65_535)).toBe(65_535);
    for (const port of [0, 65_536, 80.5]) {
      expect(refusalOf(() => requirePort(port))).toEqual({
        message: `A port is a whole number from 1 to 65535 (got ${port}).`,
        details: { field: 'port' },
      });
    }
    expect(refusalOf(() => requirePort('8'.repeat(500) as unknown as number))).toEqual({
      message: `A port is a whole number from 1 to 65535 (got ${'8'.repeat(20)}).`,
      details: { field: 'port' },
    });
  });
});
