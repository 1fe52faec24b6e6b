import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';

/** An application key pair as Discord holds it: the public key as 64 hex characters (DISCORD_PUBLIC_KEY). */
export function discordKeyPair(): { publicKeyHex: string; privateKey: KeyObject } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    publicKeyHex: publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex'),
    privateKey,
  };
}

/** The headers Discord sends with an interaction: Ed25519 over timestamp + raw body. */
export function discordSignature(
  raw: string,
  privateKey: KeyObject,
  timestamp: number | string = Math.floor(Date.now() / 1000),
) {
  return {
    'x-signature-ed25519': sign(null, Buffer.from(`${timestamp}${raw}`), privateKey).toString('hex'),
    'x-signature-timestamp': String(timestamp),
  };
}

/** POSTs an interaction to the app's endpoint exactly as Discord does: raw JSON, signed. */
export async function postInteraction(
  url: string,
  body: string | object,
  privateKey: KeyObject,
  timestamp?: number,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...discordSignature(raw, privateKey, timestamp) },
    body: raw,
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}
