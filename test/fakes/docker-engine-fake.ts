import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** How the fake answers one request: it writes (or does not) on `res`, at its own pace. */
export type EngineRoute = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * A Docker Engine API on a unix socket, answering over real HTTP as each test scripts it: by
 * default it accepts every request and never answers, as a hung engine does. Routes match
 * `METHOD /path` (without the query); the first that matches answers.
 */
export class DockerEngineFake {
  readonly socketPath: string;
  private readonly routes: Array<{ pattern: RegExp; route: EngineRoute }> = [];

  private constructor(private readonly server: Server) {
    this.socketPath = (server.address() as string) ?? '';
  }

  static async start(): Promise<DockerEngineFake> {
    const socketPath = join(mkdtempSync(join(tmpdir(), 'cl-engine-')), 'docker.sock');
    let fake: DockerEngineFake | undefined;
    const server = createServer((req, res) => fake?.answer(req, res));
    server.listen(socketPath);
    await once(server, 'listening');
    fake = new DockerEngineFake(server);
    return fake;
  }

  /** Answers requests matching `pattern` (against `METHOD /path`) with `route`. */
  on(pattern: RegExp, route: EngineRoute): void {
    this.routes.push({ pattern, route });
  }

  /** Connections the fake still holds open: a client that gave up should have closed its own. */
  async openConnections(): Promise<number> {
    return new Promise((resolve, reject) =>
      this.server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
    );
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    const key = `${req.method} ${(req.url ?? '').split('?')[0]}`;
    this.routes.find(({ pattern }) => pattern.test(key))?.route(req, res);
  }
}

/** One frame of Docker's multiplexed log stream (stdout), holding a timestamped line. */
export function logFrame(text: string, ts = new Date().toISOString()): Buffer {
  const payload = Buffer.from(`${ts} ${text}\n`);
  const header = Buffer.alloc(8);
  header[0] = 1;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}
