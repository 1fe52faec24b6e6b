import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { discordSignatureCheck } from '../../../../src/bots/discord/signature.js';

function keyPair() {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  return { publicKeyHex: raw.toString('hex'), privateKey };
}

describe('discordSignatureCheck: Ed25519 over timestamp + raw body, as Discord signs', () => {
  const { publicKeyHex, privateKey } = keyPair();
  const timestamp = '1795957200';
  const clock = { now: Number(timestamp) * 1000 };
  const check = discordSignatureCheck(publicKeyHex, () => clock.now);
  const body = Buffer.from('{"type":1}');
  const signature = sign(null, Buffer.concat([Buffer.from(timestamp), body]), privateKey).toString('hex');

  it('GIVEN a request signed with the application key THEN it is accepted', () => {
    expect(check(signature, timestamp, body)).toBe(true);
  });

  it('GIVEN the body changed by one byte THEN it is refused', () => {
    expect(check(signature, timestamp, Buffer.from('{"type":2}'))).toBe(false);
  });

  it('GIVEN another timestamp THEN it is refused', () => {
    expect(check(signature, '1795957201', body)).toBe(false);
  });

  it('GIVEN a signature from another key THEN it is refused', () => {
    const other = keyPair();
    expect(discordSignatureCheck(other.publicKeyHex, () => clock.now)(signature, timestamp, body)).toBe(
      false,
    );
  });

  it.each([undefined, '', 'zz', signature.slice(2), `${signature}00`])(
    'GIVEN the malformed signature %s THEN refused without throwing',
    (bad) => {
      expect(check(bad, timestamp, body)).toBe(false);
    },
  );

  it('GIVEN no timestamp THEN refused', () => {
    expect(check(signature, undefined, body)).toBe(false);
  });

  it.each([
    [-300_000, true],
    [300_000, true],
    [-300_001, false],
    [300_001, false],
    [-86_400_000, false],
  ])(
    'GIVEN our clock %i ms from the signed timestamp THEN accepted: %s (five minutes either way)',
    (offset, accepted) => {
      clock.now = Number(timestamp) * 1000 + offset;
      try {
        expect(check(signature, timestamp, body)).toBe(accepted);
      } finally {
        clock.now = Number(timestamp) * 1000;
      }
    },
  );

  it.each(['1795957200.5', ' 1795957200', '1e9', '-1', '9'.repeat(20)])(
    'GIVEN the timestamp %j THEN refused',
    (bad) => {
      const signed = sign(null, Buffer.concat([Buffer.from(bad), body]), privateKey).toString('hex');
      expect(check(signed, bad, body)).toBe(false);
    },
  );
});
