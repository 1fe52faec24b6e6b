import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket, WebSocketServer } from 'ws';
import type { Logger } from '../../core/ports/logger.js';

/**
 * Completes an upgrade that passed every check. The WebSocket gets its 'error' listener before
 * anything else can happen: ws reports a bad frame (too large, malformed, sent after the close) as
 * 'error' at any moment of the socket's life, and an 'error' nobody hears ends the process.
 */
export function acceptSocket(
  wss: WebSocketServer,
  request: { req: IncomingMessage; socket: Duplex; head: Buffer },
  logger: Logger,
  fields: object,
): Promise<WebSocket> {
  return new Promise((resolve) => {
    wss.handleUpgrade(request.req, request.socket, request.head, (ws) => {
      ws.on('error', (error) => logger.debug({ ...fields, error: error.message }, 'socket error'));
      wss.emit('connection', ws, request.req);
      resolve(ws);
    });
  });
}
