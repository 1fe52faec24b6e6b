import { LinkTokens } from '../../src/core/links/link-tokens.js';

/** A link token for `/logs/<id>?token=…` that must be refused. */
export interface TokenCase {
  readonly name: string;
  readonly leaseId: string;
  readonly token: string;
}

/** Tokens forged, expired, for another owner, another lease or another scope, or just broken. */
export function badLinkTokens(secret: string, leaseId: string, owner: string): TokenCase[] {
  const now = Date.now();
  const ours = new LinkTokens(secret, () => now);
  const theirs = new LinkTokens('another-secret-0123456789abcdef01', () => now);
  const valid = ours.sign({ leaseId, owner, scope: 'logs', exp: now + 3_600_000 });
  const [version, payload, signature] = valid.split('.') as [string, string, string];
  const forgedPayload = Buffer.from(
    JSON.stringify({ l: leaseId, o: 'api:mallory', s: 'logs', e: now + 3_600_000 }),
  ).toString('base64url');
  const token = (name: string, value: string, id = leaseId): TokenCase => ({
    name,
    leaseId: id,
    token: value,
  });
  return [
    token('signed with another secret', theirs.sign({ leaseId, owner, scope: 'logs', exp: now + 3_600_000 })),
    token('a payload forged under a real signature', `${version}.${forgedPayload}.${signature}`),
    token('expired', ours.sign({ leaseId, owner, scope: 'logs', exp: now - 1 })),
    token('for another lease', valid, 'zzzzzzzzzz'),
    token(
      'a session token where a logs token is needed',
      ours.sign({ leaseId, owner, scope: 'session', exp: now + 3_600_000 }),
    ),
    token(
      'for an unknown scope',
      `${version}.${Buffer.from(JSON.stringify({ l: leaseId, o: owner, s: 'admin', e: now + 1e6 })).toString('base64url')}.${signature}`,
    ),
    token('empty', ''),
    token('one part', 'v1'),
    token('two parts', `${version}.${payload}`),
    token('four parts', `${valid}.extra`),
    token('another version', `v2.${payload}.${signature}`),
    token('a truncated signature', `${version}.${payload}.${signature.slice(0, 10)}`),
    token(
      'a signature with a character changed',
      `${version}.${payload}.${signature.slice(0, -1)}${signature.endsWith('A') ? 'B' : 'A'}`,
    ),
    token('not base64', `${version}.!!!!.????`),
    token('huge', `${version}.${'a'.repeat(5000)}.${signature}`),
    token('JSON injection', `${version}.${Buffer.from('{"l":1}').toString('base64url')}.${signature}`),
    token('a JWT', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.'),
    token('URL-encoded traversal', '..%2F..%2Fetc%2Fpasswd'),
    token('null bytes', '%00%00%00'),
    token('for a malformed lease id', valid, '..%2F..'),
  ];
}
