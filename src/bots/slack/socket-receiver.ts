import { type Logger as BoltLogger, SocketModeReceiver, type webApi } from '@slack/bolt';

/**
 * Socket Mode: Bolt asks `apps.connections.open` (with the xapp- token, at the configured API URL)
 * for a WebSocket URL and receives commands and clicks over it; no public URL is needed. Acks go
 * back over the socket as `{envelope_id, payload}`.
 */
export function createSocketReceiver(
  appToken: string,
  boltLog: BoltLogger,
  clientOptions: webApi.WebClientOptions,
): SocketModeReceiver {
  // A copy: the Socket Mode client writes its own retry policy into the options it is given.
  return new SocketModeReceiver({
    appToken,
    logger: boltLog,
    installerOptions: { clientOptions: { ...clientOptions } },
  });
}
