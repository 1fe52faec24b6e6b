/** The TCP ports a lease's app can listen on, and so the ports a link may open. */
export const MIN_PORT = 1;
export const MAX_PORT = 65_535;

export function isPortNumber(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= MIN_PORT && (value as number) <= MAX_PORT;
}

/** `8000` as text (decimal digits only, no sign or spaces), or undefined for anything else. */
export function parsePortNumber(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return isPortNumber(port) ? port : undefined;
}
