import { describe, expect, it } from 'vitest';
import { originAllowed } from '../../../../src/web/auth/origin.js';

describe('originAllowed', () => {
  it('GIVEN our origin or none THEN allowed; another THEN refused', () => {
    expect(originAllowed('https://lease.example', 'https://lease.example')).toBe(true);
    expect(originAllowed(undefined, 'https://lease.example')).toBe(true);
    expect(originAllowed('https://lease.example.evil', 'https://lease.example')).toBe(false);
    expect(originAllowed('null', 'https://lease.example')).toBe(false);
  });
});
