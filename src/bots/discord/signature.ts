import { createPublicKey, type KeyObject, verify } from 'node:crypto';

/** DER prefix that wraps a raw 32-byte Ed25519 public key as SubjectPublicKeyInfo. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export type SignatureCheck = (
  signature: string | undefined,
  timestamp: string | undefined,
  body: Buffer,
) => boolean;

/**
 * How far a request's timestamp may be from our clock, either way: a captured request cannot be
 * replayed later (Slack's limit, which Bolt applies to Slack requests).
 */
export const MAX_TIMESTAMP_SKEW_MS = 5 * 60_000;

/**
 * Discord's request signature: Ed25519 over `X-Signature-Timestamp + raw body`, with the
 * application's public key (64 hex characters, DISCORD_PUBLIC_KEY), and a timestamp (Unix seconds)
 * within five minutes of now. Anything malformed is false.
 */
export function discordSignatureCheck(publicKeyHex: string, now: () => number = Date.now): SignatureCheck {
  const key: KeyObject = createPublicKey({
    key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(publicKeyHex, 'hex')]),
    format: 'der',
    type: 'spki',
  });
  return (signature, timestamp, body) => {
    if (!signature || !timestamp || !/^[0-9a-f]{128}$/i.test(signature)) return false;
    if (!/^\d{1,12}$/.test(timestamp) || Math.abs(now() - Number(timestamp) * 1000) > MAX_TIMESTAMP_SKEW_MS)
      return false;
    try {
      return verify(
        null,
        Buffer.concat([Buffer.from(timestamp, 'utf8'), body]),
        key,
        Buffer.from(signature, 'hex'),
      );
    } catch {
      return false;
    }
  };
}
