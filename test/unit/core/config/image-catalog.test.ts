import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadImageCatalog } from '../../../../src/core/config/image-catalog.js';

function fileWith(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'catalog-')), 'images.json');
  writeFileSync(path, text);
  return path;
}

describe('image catalog', () => {
  it('GIVEN no IMAGES_FILE THEN the built-ins each have an image and a keep-alive command', () => {
    const catalog = loadImageCatalog(undefined);
    expect(catalog.names()).toEqual(['ubuntu', 'debian', 'alpine', 'python', 'node']);
    for (const image of catalog.list()) expect(image.cmd?.length).toBeGreaterThan(0);
    expect(catalog.get('UBUNTU')?.image).toBe('ubuntu:24.04');
  });

  it('GIVEN an IMAGES_FILE THEN it replaces the built-ins', () => {
    const path = fileWith(
      JSON.stringify({
        busybox: { image: 'local/busybox:latest', cmd: ['sh'], description: 'tiny', maxMinutes: 120 },
      }),
    );
    const catalog = loadImageCatalog(path);
    expect(catalog.names()).toEqual(['busybox']);
    expect(catalog.get('busybox')).toMatchObject({
      image: 'local/busybox:latest',
      maxMinutes: 120,
      capAdd: [],
    });
  });

  it.each([
    ['not json', 'IMAGES_FILE must hold valid JSON'],
    ['{}', 'must name at least one image type'],
    ['{"x": {"cmd": ["sh"]}}', 'x.image'],
    ['{"x": {"image": "a", "capAdd": ["SYS_ADMIN"]}}', 'x.capAdd.0'],
    ['{"x": {"image": "a", "privileged": true}}', 'privileged'],
    ['{"Bad Name": {"image": "a"}}', 'Bad Name'],
  ])('GIVEN the file %s THEN start-up stops naming the problem', (text, message) => {
    expect(() => loadImageCatalog(fileWith(text))).toThrow(message);
  });

  it('GIVEN a missing file THEN the message names the path', () => {
    expect(() => loadImageCatalog('/nonexistent/images.json')).toThrow('/nonexistent/images.json');
  });
});
