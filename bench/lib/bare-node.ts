import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { trackChild } from './janitor.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Baselines for memory: the least a Node server that does the same job could be. */
export const BARE_SERVERS = {
  /** Express listening, nothing else. */
  express: "const s = require('express')().listen(0, '127.0.0.1', () => console.log(s.address().port));",
  /** A ws server that greets each connection with one message and keeps it. */
  ws: "const { WebSocketServer } = require('ws'); const w = new WebSocketServer({ port: 0, host: '127.0.0.1' }, () => console.log(w.address().port)); w.on('connection', (s) => s.send('hello'));",
} as const;

export interface BareServer {
  readonly port: number;
  readonly pid: number;
  stop(): Promise<void>;
}

/** `node -e <script>` from the project (so it finds the same packages), once it prints its port. */
export async function startBare(script: string): Promise<BareServer> {
  const child: ChildProcess = spawn(process.execPath, ['-e', script], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  trackChild(child);
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
    child.once('exit', (code) => reject(new Error(`node -e exited (${code}) before listening`)));
  });
  return {
    port,
    pid: child.pid ?? 0,
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
