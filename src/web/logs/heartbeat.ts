import type { WebSocket, WebSocketServer } from 'ws';

/** Ping interval; a client that has not answered the previous ping is dropped. @defaultValue 30000 */
export const HEARTBEAT_MS = 30_000;

/**
 * The ws README's pattern for broken connections: every interval, terminate clients that did not
 * answer the last ping, and ping the rest (browsers answer pings on their own). Returns the stop function.
 */
export function startHeartbeat(wss: WebSocketServer, intervalMs = HEARTBEAT_MS): () => void {
  const alive = new WeakMap<WebSocket, boolean>();
  const onConnection = (socket: WebSocket) => {
    alive.set(socket, true);
    socket.on('pong', () => alive.set(socket, true));
  };
  wss.on('connection', onConnection);
  const timer = setInterval(() => {
    for (const socket of wss.clients) {
      if (alive.get(socket) === false) {
        socket.terminate();
        continue;
      }
      alive.set(socket, false);
      socket.ping();
    }
  }, intervalMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    wss.off('connection', onConnection);
  };
}
