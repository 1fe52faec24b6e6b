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
  /** The commit it was built from. */
  readonly commit: string;
  /** Node's flags as `npm start` gives them at that commit (package.json's `start` script). */
  readonly nodeFlags: readonly string[];
  readonly remove: () => void;
}

/**
 * The server as committed at HEAD, compiled into a directory of this run's own (tsc with the build
 * config, and the Lua scripts beside their loader, as scripts/build.mjs does; the browser bundle is
 * not needed to measure memory). Building from HEAD in private leaves dist/ (which others may be
 * running or rebuilding) alone, and does not trip over files someone is editing in the working tree.
 */
export function buildProduct(): ProductBuild {
  const home = mkdtempSync(join(tmpdir(), 'cl-bench-build-'));
  const remove = () => rmSync(home, { recursive: true, force: true });
  try {
    const commit = git(['rev-parse', '--short', 'HEAD']).toString().trim();
    const archive = git(['archive', '--format=tar', 'HEAD', 'src', 'tsconfig.json', 'tsconfig.build.json']);
    execFileSync('tar', ['-x', '-C', home], { input: archive });
    // Beside a package.json of its own, packages still resolve from the project's node_modules.
    writeFileSync(join(home, 'package.json'), JSON.stringify({ type: 'module', private: true }));
    symlinkSync(join(ROOT, 'node_modules'), join(home, 'node_modules'));
    execFileSync(
      process.execPath,
      [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(home, 'tsconfig.build.json')],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    for (const file of walk(join(home, 'src'))) {
      if (file.endsWith('.lua')) cpSync(file, join(home, 'dist', relative(join(home, 'src'), file)));
    }
    const mainJs = join(home, 'dist', 'main.js');
    if (!existsSync(mainJs)) throw new Error(`the build produced no ${mainJs}`);
    return { mainJs, commit, nodeFlags: startFlags(git(['show', 'HEAD:package.json']).toString()), remove };
  } catch (error) {
    remove();
    const output = String((error as { stdout?: Buffer }).stdout ?? '');
    throw new Error(
      `the product could not be built from HEAD: ${(error as Error).message}\n${output.slice(0, 2000)}`,
    );
  }
}

function git(args: readonly string[]): Buffer {
  return execFileSync('git', args, { cwd: ROOT, maxBuffer: 64 * 1024 ** 2 });
}

function* walk(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else yield path;
  }
}

/** The words between `node` and the entry point in package.json's `start` script. */
export function startFlags(packageJson: string): string[] {
  const start = (JSON.parse(packageJson) as { scripts?: { start?: string } }).scripts?.start ?? '';
  const words = start.split(/\s+/);
  if (words[0] !== 'node' || words.at(-1) !== 'dist/main.js')
    throw new Error(`package.json's start script is not "node [flags] dist/main.js": ${start}`);
  return words.slice(1, -1);
}
