import { randomBytes } from 'node:crypto';

/** Crockford-style base32 without look-alike letters, lower-case so people can type ids in chat. */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
export const LEASE_ID_LENGTH = 10;
const LEASE_ID_PATTERN = new RegExp(`^[${ALPHABET}]{${LEASE_ID_LENGTH}}$`);

/** A short, URL-safe, random lease id: 10 characters, 50 bits. */
export function newLeaseId(): string {
  const bytes = randomBytes(LEASE_ID_LENGTH);
  let id = '';
  for (const byte of bytes) id += ALPHABET[byte & 31];
  return id;
}

export function isLeaseId(text: string): boolean {
  return LEASE_ID_PATTERN.test(text);
}
