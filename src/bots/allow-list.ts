/**
 * Whether a request from these places may use a chat front-end: a workspace or server is in the
 * operator's list (SLACK_ALLOWED_TEAMS, DISCORD_ALLOWED_GUILDS), or the list is empty, which lets
 * every one in (the bots warn about that at start).
 */
export function isAllowed(
  allowed: readonly string[],
  places: readonly (string | null | undefined)[],
): boolean {
  return allowed.length === 0 || places.some((place) => typeof place === 'string' && allowed.includes(place));
}
