import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from '../errors.js';

/** One entry of the catalog: what `/lease provision <name>` starts. */
export interface ImageType {
  readonly name: string;
  readonly image: string;
  /** Keeps the container alive; without it the image's own command runs. */
  readonly cmd: readonly string[] | undefined;
  readonly description: string;
  /** Longest lease or extension for this image; the global maximum when absent. */
  readonly maxMinutes: number | undefined;
  /** Capabilities added back after `CapDrop: ALL`, only what the image's tools need. */
  readonly capAdd: readonly string[];
}

/**
 * Capabilities a catalog may add back. Package managers need these to unpack files and switch to
 * their sandbox user; anything that reaches the host (SYS_ADMIN, NET_ADMIN, SYS_PTRACE…) is refused.
 */
const ALLOWED_CAPABILITIES = [
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'SETUID',
  'SETGID',
  'KILL',
] as const;

const PACKAGE_MANAGER_CAPS = ['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'SETUID', 'SETGID'];
const SLEEP_FOREVER = ['sleep', 'infinity'];

export const BUILT_IN_IMAGES: readonly ImageType[] = [
  {
    name: 'ubuntu',
    image: 'ubuntu:24.04',
    cmd: SLEEP_FOREVER,
    description: 'Ubuntu 24.04 LTS',
    maxMinutes: undefined,
    capAdd: PACKAGE_MANAGER_CAPS,
  },
  {
    name: 'debian',
    image: 'debian:12-slim',
    cmd: SLEEP_FOREVER,
    description: 'Debian 12 (bookworm), slim',
    maxMinutes: undefined,
    capAdd: PACKAGE_MANAGER_CAPS,
  },
  {
    name: 'alpine',
    image: 'alpine:3.20',
    cmd: ['tail', '-f', '/dev/null'],
    description: 'Alpine Linux 3.20',
    maxMinutes: undefined,
    capAdd: PACKAGE_MANAGER_CAPS,
  },
  {
    name: 'python',
    image: 'python:3.12-slim',
    cmd: SLEEP_FOREVER,
    description: 'Python 3.12 on Debian, slim',
    maxMinutes: undefined,
    capAdd: PACKAGE_MANAGER_CAPS,
  },
  {
    name: 'node',
    image: 'node:22-slim',
    cmd: SLEEP_FOREVER,
    description: 'Node.js 22 on Debian, slim',
    maxMinutes: undefined,
    capAdd: PACKAGE_MANAGER_CAPS,
  },
];

const entrySchema = z.strictObject({
  image: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._\-/:@]{0,254}$/, 'must be an image reference such as ubuntu:24.04'),
  cmd: z.array(z.string().max(4096)).min(1).max(64).optional(),
  description: z.string().max(200).optional(),
  maxMinutes: z.number().int().min(1).max(43_200).optional(),
  capAdd: z.array(z.enum(ALLOWED_CAPABILITIES)).optional(),
});

const fileSchema = z.record(
  z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'must be a short lower-case name'),
  entrySchema,
);

/** The image types on offer. Lookups are case-insensitive, as people type them in chat. */
export class ImageCatalog {
  private readonly byName: ReadonlyMap<string, ImageType>;

  constructor(entries: readonly ImageType[]) {
    this.byName = new Map(entries.map((entry) => [entry.name, entry]));
  }

  get(name: string): ImageType | undefined {
    return this.byName.get(name.toLowerCase());
  }

  list(): readonly ImageType[] {
    return [...this.byName.values()];
  }

  names(): readonly string[] {
    return [...this.byName.keys()];
  }
}

/** The built-in catalog, or the one in `IMAGES_FILE`, which replaces it entirely. */
export function loadImageCatalog(imagesFile: string | undefined): ImageCatalog {
  if (imagesFile === undefined) return new ImageCatalog(BUILT_IN_IMAGES);
  return new ImageCatalog(parseImagesFile(imagesFile, readCatalogFile(imagesFile)));
}

function readCatalogFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`IMAGES_FILE must be a readable JSON file (${path}: ${(error as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`IMAGES_FILE must hold valid JSON (${path}: ${(error as Error).message})`);
  }
}

export function parseImagesFile(path: string, json: unknown): ImageType[] {
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') || '(top level)';
    throw new ConfigError(`IMAGES_FILE ${path}: ${where} ${issue?.message ?? 'is invalid'}`);
  }
  const entries = Object.entries(parsed.data);
  if (entries.length === 0) throw new ConfigError(`IMAGES_FILE ${path}: must name at least one image type`);
  return entries.map(([name, entry]) => ({
    name,
    image: entry.image,
    cmd: entry.cmd,
    description: entry.description ?? entry.image,
    maxMinutes: entry.maxMinutes,
    capAdd: entry.capAdd ?? [],
  }));
}
