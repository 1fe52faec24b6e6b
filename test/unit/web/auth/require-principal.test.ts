import type { Response } from 'express';
import { describe, expect, it } from 'vitest';
import { principalOf } from '../../../../src/web/auth/require-principal.js';

describe('principalOf', () => {
  it('GIVEN a route that did not authenticate THEN it throws rather than act for nobody', () => {
    const response = { locals: {} } as Response;
    expect(() => principalOf(response)).toThrow('principalOf called on a route without requirePrincipal');
  });
});
