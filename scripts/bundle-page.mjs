// Builds the browser page: type-checks src/web/page with its own tsconfig (DOM lib), bundles its
// three entry points and stylesheet with esbuild (xterm.js and its CSS included), and copies the
// static HTML and icon beside them. build.mjs calls it for dist/web/static; tests call it for a
// temporary folder.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * @param {string} pageDir the page sources (src/web/page)
 * @param {string} outDir where the server's static files go
 * @param {{ typecheck?: boolean }} [options]
 */
export async function bundlePage(pageDir, outDir, options = {}) {
  if (options.typecheck ?? true) {
    execFileSync(
      process.execPath,
      [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(pageDir, 'tsconfig.json')],
      { stdio: 'inherit' },
    );
  }
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: ['dashboard.ts', 'logs.ts', 'terminal.ts', 'page.css'].map((entry) => join(pageDir, entry)),
    outdir: outDir,
    bundle: true,
    format: 'esm',
    target: ['chrome109', 'firefox115', 'safari16'],
    minify: true,
    sourcemap: 'linked',
    legalComments: 'linked',
    logLevel: 'warning',
  });
  for (const name of readdirSync(pageDir)) {
    if (/\.(html|svg)$/.test(name)) copyFileSync(join(pageDir, name), join(outDir, name));
  }
}
