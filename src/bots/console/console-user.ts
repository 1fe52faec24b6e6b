import { userInfo } from 'node:os';

/** The console's user name, fit for an owner id (`local:<user>`). */
export function consoleUser(): string {
  let name = 'me';
  try {
    name = userInfo().username;
  } catch {}
  return name.replace(/[^A-Za-z0-9._@-]/g, '_').slice(0, 64) || 'me';
}
