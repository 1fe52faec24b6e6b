#!/usr/bin/env node
// Compiles the server with tsc, copies the Lua scripts beside their loader, and bundles the
// browser page with esbuild. One command, so `npm start` always runs what `npm run build` made.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const dist = join(root, 'dist');

rmSync(dist, { recursive: true, force: true });
execFileSync(
  process.execPath,
  [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')],
  {
    stdio: 'inherit',
  },
);

for (const file of walk(src)) {
  if (file.endsWith('.lua') || file.includes(`${join('web', 'static')}`)) {
    cpSync(file, join(dist, relative(src, file)));
  }
}

const page = join(src, 'web', 'page');
if (existsSync(page)) {
  const { bundlePage } = await import('./bundle-page.mjs');
  await bundlePage(page, join(dist, 'web', 'static'));
}

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else yield path;
  }
}
