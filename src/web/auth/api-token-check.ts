import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Finds the API_TOKENS name of a bearer token. Both sides are hashed to equal length and every
 * configured token is compared, so neither the length nor the position of a match leaks through timing.
 */
export class ApiTokenCheck {
  private readonly digests: ReadonlyArray<readonly [string, Buffer]>;
  private readonly names: ReadonlySet<string>;

  constructor(tokens: ReadonlyMap<string, string>) {
    this.digests = [...tokens].map(([name, token]) => [name, digest(token)] as const);
    this.names = new Set(tokens.keys());
  }

  /** Whether API_TOKENS still names `name` (an `api:` owner exists only while its token does). */
  has(name: string): boolean {
    return this.names.has(name);
  }

  /** The token's name, or undefined when no configured token matches. */
  nameOf(token: string): string | undefined {
    const given = digest(token);
    let found: string | undefined;
    for (const [name, wanted] of this.digests) {
      if (timingSafeEqual(given, wanted) && found === undefined) found = name;
    }
    return found;
  }
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/** The token of an `Authorization: Bearer <token>` header; undefined when the header is absent. */
export function bearerToken(header: string | undefined): string | undefined | null {
  if (header === undefined) return undefined;
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}
