import { describe, expect, it } from 'vitest';
import { originAllowed, originOf } from '../../../../src/web/auth/origin.js';

describe('originAllowed', () => {
  it('GIVEN our origin or none THEN allowed; another THEN refused', () => {
    expect(originAllowed('https://lease.example', 'https://lease.example')).toBe(true);
    expect(originAllowed(undefined, 'https://lease.example')).toBe(true);
    expect(originAllowed('https://lease.example.evil', 'https://lease.example')).toBe(false);
    expect(originAllowed('null', 'https://lease.example')).toBe(false);
  });
});

describe('originOf', () => {
  it('GIVEN PUBLIC_URL with a path, a port or a trailing slash THEN the origin a browser sends', () => {
    expect(originOf('https://lease.example/')).toBe('https://lease.example');
    expect(originOf('https://lease.example/containerlease/')).toBe('https://lease.example');
    expect(originOf('http://127.0.0.1:8080/x')).toBe('http://127.0.0.1:8080');
    expect(originOf('https://Lease.Example:443')).toBe('https://lease.example');
  });
});
