import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { bundlePage } from '../../scripts/bundle-page.mjs';

export const SCREENSHOTS = join(process.cwd(), 'test-results', 'screenshots');

/** Debian's chromium, never a downloaded browser. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-gpu',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Bundles the page into a fresh folder, as `npm run build` does into dist/web/static. */
export async function bundledPage(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'containerlease-page-'));
  await bundlePage(join(process.cwd(), 'src/web/page'), dir);
  return dir;
}

/** Runs in the page before its own scripts (a string: this project's tsconfig has no DOM types). */
const RECORD_VIOLATIONS = `
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (event) =>
    window.__cspViolations.push(event.violatedDirective + ' ' + event.blockedURI));
`;

/** Records content-security-policy violations and page errors from the first script on. */
export async function watchPage(
  page: Page,
): Promise<{ violations: () => Promise<string[]>; errors: string[] }> {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.addInitScript({ content: RECORD_VIOLATIONS });
  return { errors, violations: () => page.evaluate<string[]>('window.__cspViolations') };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
