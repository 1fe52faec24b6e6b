import { createHmac } from 'node:crypto';
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

  it('GIVEN a port link THEN it verifies for its lease and port only; a port never matches where none is named, nor a portless token where one is', () => {
    const port = { ...claims, scope: 'port' as const, port: 8000 };
    const token = tokens.sign(port);
    expect(tokens.verify(token, { scope: 'port', leaseId: 'abcdefghjk', port: 8000 })).toEqual({
      ok: true,
      value: port,
    });
    expect(tokens.verify(token, { scope: 'port', leaseId: 'abcdefghjk', port: 8001 })).toEqual({
      ok: false,
      error: 'wrong_port',
    });
    expect(tokens.verify(token, { scope: 'port', leaseId: 'abcdefghjk' })).toEqual({
      ok: false,
      error: 'wrong_port',
    });
    expect(tokens.verify(token, { scope: 'port', leaseId: 'zzzzzzzzzz', port: 8000 })).toEqual({
      ok: false,
      error: 'wrong_lease',
    });
    expect(tokens.verify(token, { scope: 'logs', leaseId: 'abcdefghjk' })).toEqual({
      ok: false,
      error: 'wrong_scope',
    });
    const portless = tokens.sign({ ...claims, scope: 'port' });
    expect(tokens.verify(portless, { scope: 'port', leaseId: 'abcdefghjk', port: 8000 })).toEqual({
      ok: false,
      error: 'wrong_port',
    });
    // A logs token carries no port claim at all, so it reads as before.
    expect(
      JSON.parse(Buffer.from(tokens.sign(claims).split('.')[1] ?? '', 'base64url').toString()),
    ).not.toHaveProperty('p');
  });

  it('GIVEN a signed port claim that is not a whole number THEN malformed', () => {
    const secret = 's'.repeat(32);
    const payload = Buffer.from(
      JSON.stringify({ l: 'abcdefghjk', o: 'slack:T1:U1', s: 'port', e: now + 1, p: '80' }),
    ).toString('base64url');
    const mac = createHmac('sha256', secret).update(`v1.${payload}`).digest('base64url');
    expect(tokens.verify(`v1.${payload}.${mac}`, { scope: 'port', leaseId: 'abcdefghjk', port: 80 })).toEqual(
      { ok: false, error: 'malformed' },
    );
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

  it.each([
    ['', 'malformed'],
    ['v1', 'malformed'],
    ['v1..', 'malformed'],
    ['v1.a.', 'malformed'],
    ['v1..b', 'malformed'],
    ['v2.a.b', 'malformed'],
    ['v1.a.b.c', 'malformed'],
    [`v1.${'a'.repeat(3000)}.b`, 'malformed'],
    ['v1.%%%.***', 'bad_signature'],
  ])('GIVEN the token "%s" THEN refused as %s, without throwing', (token, error) => {
    expect(tokens.verify(token, { scope: 'logs' })).toEqual({ ok: false, error });
  });

  it('GIVEN a token of 2048 characters THEN its signature is checked; of 2049 THEN refused unread as malformed', () => {
    const ofLength = (length: number) => `v1.${'a'.repeat(length - 47)}.${'b'.repeat(43)}`;
    expect(ofLength(2048)).toHaveLength(2048);
    expect(tokens.verify(ofLength(2048), { scope: 'logs' })).toEqual({ ok: false, error: 'bad_signature' });
    expect(tokens.verify(ofLength(2049), { scope: 'logs' })).toEqual({ ok: false, error: 'malformed' });
  });

  it.each([
    ['not JSON', '{"l":'],
    ['a lease id that is not text', { l: 1, o: 'slack:T1:U1', s: 'logs', e: now + 60_000 }],
    ['an owner that is not text', { l: 'abcdefghjk', o: 1, s: 'logs', e: now + 60_000 }],
    [
      'an expiry that is not a number',
      { l: 'abcdefghjk', o: 'slack:T1:U1', s: 'logs', e: String(now + 60_000) },
    ],
    ['a scope in a list', { l: 'abcdefghjk', o: 'slack:T1:U1', s: ['logs'], e: now + 60_000 }],
  ])('GIVEN a correctly signed payload with %s THEN malformed', (_, payload) => {
    const text = Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload)).toString(
      'base64url',
    );
    const mac = createHmac('sha256', 's'.repeat(32)).update(`v1.${text}`).digest('base64url');
    expect(tokens.verify(`v1.${text}.${mac}`, { scope: 'logs', leaseId: 'abcdefghjk' })).toEqual({
      ok: false,
      error: 'malformed',
    });
  });

  it('GIVEN a token without a port THEN its verified claims have no port key at all', () => {
    expect(tokens.verify(tokens.sign(claims), { scope: 'logs', leaseId: claims.leaseId })).toStrictEqual({
      ok: true,
      value: claims,
    });
  });
});
