import type { Server } from 'node:net';

/**
 * Closes unanswered every connection that arrives at one of `addresses`: the host's addresses on the
 * lease network, where a leased container reaches the host, so no server of ours answers a lease.
 * Both the web server and the port proxy listen on every interface unless told otherwise.
 */
export function refuseConnectionsTo(server: Server, addresses: readonly string[] = []): void {
  const refused = new Set(addresses);
  if (refused.size === 0) return;
  server.on('connection', (socket) => {
    if (refused.has(plainAddress(socket.localAddress))) socket.destroy();
  });
}

/** An IPv4 address as a dual-stack socket reports it (`::ffff:172.18.0.1`), without the prefix. */
function plainAddress(address: string | undefined): string {
  return (address ?? '').replace(/^::ffff:/, '');
}
