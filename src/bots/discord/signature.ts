import { createPublicKey, type KeyObject, verify } from 'node:crypto';

/** DER prefix that wraps a raw 32-byte Ed25519 public key as SubjectPublicKeyInfo. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export type SignatureCheck = (
  signature: string | undefined,
  timestamp: string | undefined,
  body: Buffer,
) => boolean;

/**
 * Discord's request signature: Ed25519 over `X-Signature-Timestamp + raw body`, with the
 * application's public key (64 hex characters, DISCORD_PUBLIC_KEY). Anything malformed is false.
 */
export function discordSignatureCheck(publicKeyHex: string): SignatureCheck {
  const key: KeyObject = createPublicKey({
    key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(publicKeyHex, 'hex')]),
    format: 'der',
    type: 'spki',
  });
  return (signature, timestamp, body) => {
    if (!signature || !timestamp || !/^[0-9a-f]{128}$/i.test(signature)) return false;
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
