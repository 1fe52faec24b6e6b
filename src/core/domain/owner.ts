/**
 * Owner identities are platform-scoped text: `slack:<team>:<user>`, `discord:<user>`,
 * `api:<name>`, `local:<user>`. The platform prefix decides which notifier reaches them.
 */
export const OWNER_PLATFORMS = ['slack', 'discord', 'api', 'local'] as const;
export type OwnerPlatform = (typeof OWNER_PLATFORMS)[number];

const OWNER_PATTERN = /^(slack|discord|api|local):[A-Za-z0-9._@-]{1,64}(:[A-Za-z0-9._@-]{1,64})?$/;

export function isValidOwner(owner: string): boolean {
  return OWNER_PATTERN.test(owner);
}

export function platformOf(owner: string): string {
  const index = owner.indexOf(':');
  return index < 0 ? '' : owner.slice(0, index);
}
