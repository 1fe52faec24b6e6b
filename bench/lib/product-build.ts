import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ProductBuild {
  /** The entry point to run with `node`. */
  readonly mainJs: string;
  readonly remove: () => void;
}

/**
 * The server compiled from the working tree into a directory of this run's own (tsc with the build
 * config, and the Lua scripts beside their loader, as scripts/build.mjs does; the browser bundle is
 * not needed to measure memory). Building privately leaves dist/, which others may be running
 * or rebuilding, untouched.
 */
export function buildProduct(): ProductBuild {
  const home = mkdtempSync(join(tmpdir(), 'cl-bench-build-'));
  const out = join(home, 'dist');
  const remove = () => rmSync(home, { recursive: true, force: true });
  try {
    execFileSync(
      process.execPath,
      [
        join(ROOT, 'node_modules/typescript/bin/tsc'),
        '-p',
        join(ROOT, 'tsconfig.build.json'),
        '--outDir',
        out,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
  } catch (error) {
    remove();
    const output = String((error as { stdout?: Buffer }).stdout ?? '');
    throw new Error(
      `the working tree does not compile, so the product could not be built:\n${output.slice(0, 2000)}`,
    );
  }
  for (const file of walk(join(ROOT, 'src'))) {
    if (file.endsWith('.lua')) cpSync(file, join(out, relative(join(ROOT, 'src'), file)));
  }
  // Beside a package.json of its own, packages still resolve from the project's node_modules.
  writeFileSync(join(home, 'package.json'), JSON.stringify({ type: 'module', private: true }));
  symlinkSync(join(ROOT, 'node_modules'), join(home, 'node_modules'));
  const mainJs = join(out, 'main.js');
  if (!existsSync(mainJs)) throw new Error(`the build produced no ${mainJs}`);
  return { mainJs, remove };
}

function* walk(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else yield path;
  }
}
