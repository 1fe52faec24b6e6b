import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Docker from 'dockerode';
import { afterEach, describe, expect, it } from 'vitest';
import { DockerRuntime } from '../../src/core/adapters/docker/docker-runtime.js';

/** An engine that has no images and answers every pull with `pullBody`. */
async function fakeEngine(pullBody: string): Promise<{ server: Server; docker: Docker }> {
  const server = createServer((req, res) => {
    if (req.method === 'POST' && req.url?.startsWith('/images/create')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(pullBody);
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ message: 'No such image' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, docker: new Docker({ host: '127.0.0.1', port, protocol: 'http' }) };
}

describe('An image pull whose progress the engine garbles', () => {
  let server: Server | undefined;
  afterEach(() => server?.close());

  it('GIVEN a pull answered with text that is not JSON (a proxy’s error page) THEN the pull fails as runtime_unavailable, and the process lives on', async () => {
    const engine = await fakeEngine(
      '{"status":"Pulling from example/image"}\n<html>502 Bad Gateway</html>\n',
    );
    server = engine.server;
    const progress: string[] = [];
    const pulled = new DockerRuntime(engine.docker, 'the fake engine').ensureImage(
      'example/image:1',
      (event) => progress.push(event.status),
    );
    await expect(pulled).rejects.toMatchObject({
      code: 'runtime_unavailable',
      message: expect.stringContaining('not progress: "<html>502 Bad Gateway</html>"'),
    });
    expect(progress).toEqual(['Pulling from example/image']);
  });

  it('GIVEN a pull whose registry gives up THEN image_unavailable naming why', async () => {
    const engine = await fakeEngine('{"status":"Pulling"}\n{"error":"manifest unknown"}\n');
    server = engine.server;
    await expect(
      new DockerRuntime(engine.docker, 'the fake engine').ensureImage('example/image:1'),
    ).rejects.toMatchObject({
      code: 'image_unavailable',
      message: expect.stringContaining('(manifest unknown)'),
    });
  });
});
