import { describe, expect, it } from 'vitest';
import { LinkTokens } from '../../../../src/core/links/link-tokens.js';

const now = 1_800_000_000_000;
const tokens = new LinkTokens('s'.repeat(32), () => now);
const claims = { leaseId: 'abcdefghjk', owner: 'slack:T1:U1', scope: 'logs' as const, exp: now + 60_000 };

describe('signed link tokens', () => {
  it('GIVEN a signed token THEN it verifies with its claims', () => {
    expect(tokens.verify(tokens.sign(claims), { scope: 'logs', leaseId: 'abcdefghjk' })).toEqual({
      ok: true,
      value: claims,
    });
  });

  it('GIVEN a forged payload THEN bad_signature', () => {
    const [version, , signature] = tokens.sign(claims).split('.');
    const forged = Buffer.from(
      JSON.stringify({ l: 'abcdefghjk', o: 'slack:T1:EVIL', s: 'logs', e: now + 1 }),
    ).toString('base64url');
    expect(tokens.verify(`${version}.${forged}.${signature}`, { scope: 'logs' })).toEqual({
      ok: false,
      error: 'bad_signature',
    });
  });

  it('GIVEN the signature spelled with its last character changed THEN bad_signature, even where the bytes decode alike', () => {
    const token = tokens.sign(claims);
    const base64url = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const respelled = [...base64url]
      .map((last) => `${token.slice(0, -1)}${last}`)
      .filter((variant) => variant !== token);
    // The last of 43 characters carries 4 bits of the MAC and 2 spare ones: 3 variants decode alike.
    const decodingAlike = respelled.filter((variant) =>
      Buffer.from(variant.split('.')[2] ?? '', 'base64url').equals(
        Buffer.from(token.split('.')[2] ?? '', 'base64url'),
      ),
    );
    expect(decodingAlike).toHaveLength(3);
    for (const variant of respelled) {
      expect(tokens.verify(variant, { scope: 'logs' })).toEqual({ ok: false, error: 'bad_signature' });
    }
  });

  it('GIVEN another secret THEN bad_signature', () => {
    const other = new LinkTokens('t'.repeat(32), () => now);
    expect(tokens.verify(other.sign(claims), { scope: 'logs' })).toEqual({
      ok: false,
      error: 'bad_signature',
    });
  });

  it('GIVEN an expired token THEN expired', () => {
    expect(tokens.verify(tokens.sign({ ...claims, exp: now }), { scope: 'logs' })).toEqual({
      ok: false,
      error: 'expired',
    });
  });

  it('GIVEN another scope or lease THEN refused', () => {
    expect(tokens.verify(tokens.sign(claims), { scope: 'session' })).toEqual({
      ok: false,
      error: 'wrong_scope',
    });
    expect(tokens.verify(tokens.sign(claims), { scope: 'logs', leaseId: 'zzzzzzzzzz' })).toEqual({
      ok: false,
      error: 'wrong_lease',
    });
  });

  it('GIVEN a logs token checked without naming its lease, or a session token naming one THEN wrong_lease', () => {
    expect(tokens.verify(tokens.sign(claims), { scope: 'logs' })).toEqual({
      ok: false,
      error: 'wrong_lease',
    });
    const session = tokens.sign({ ...claims, scope: 'session' });
    expect(tokens.verify(session, { scope: 'session' })).toEqual({ ok: false, error: 'wrong_lease' });
    expect(
      tokens.verify(tokens.sign({ ...claims, leaseId: '*', scope: 'session' }), { scope: 'session' }).ok,
    ).toBe(true);
  });

  it.each(['admin', 'constructor', '__proto__', 'toString'])(
    'GIVEN a correctly signed token of the unknown scope "%s" THEN malformed',
    (scope) => {
      const forged = tokens.sign({ ...claims, scope: scope as 'logs' });
      expect(tokens.verify(forged, { scope: 'logs', leaseId: claims.leaseId })).toEqual({
        ok: false,
        error: 'malformed',
      });
    },
  );

  it.each(['', 'v1', 'v1..', 'v2.a.b', 'v1.a.b.c', `v1.${'a'.repeat(3000)}.b`, 'v1.%%%.***'])(
    'GIVEN the malformed token "%s" THEN refused without throwing',
    (token) => {
      const result = tokens.verify(token, { scope: 'logs' });
      expect(result.ok).toBe(false);
    },
  );
});
