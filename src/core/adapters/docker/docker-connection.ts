import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Docker from 'dockerode';
import { ConfigError } from '../../errors.js';

export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';

/**
 * A dockerode client for `DOCKER_HOST` (unix:///path, tcp://host:port, http(s)://host:port) and
 * where it points. With `tlsCertPath` (DOCKER_TLS_VERIFY), it speaks TLS as the Docker CLI does:
 * the engine's certificate must be signed by `ca.pem`, and the client shows `cert.pem`/`key.pem`.
 */
export function connectDocker(
  host: string | undefined,
  tlsCertPath?: string,
): { docker: Docker; where: string } {
  if (host === undefined || host.startsWith('unix://')) {
    const socketPath = host ? host.slice('unix://'.length) : DEFAULT_DOCKER_SOCKET;
    return { docker: new Docker({ socketPath }), where: `unix://${socketPath}` };
  }
  const url = new URL(host.replace(/^tcp:/, 'http:'));
  const protocol = url.protocol === 'https:' || tlsCertPath ? 'https' : 'http';
  const port = Number(url.port || (protocol === 'https' ? 2376 : 2375));
  return {
    docker: new Docker({
      protocol,
      host: url.hostname,
      port,
      ...(tlsCertPath && clientCertificates(tlsCertPath)),
    }),
    where: `${protocol}://${url.hostname}:${port}`,
  };
}

/** The three files the Docker CLI reads from DOCKER_CERT_PATH; a missing one is the operator's to fix. */
function clientCertificates(folder: string): { ca: Buffer; cert: Buffer; key: Buffer } {
  const read = (name: string): Buffer => {
    try {
      return readFileSync(join(folder, name));
    } catch (error) {
      throw new ConfigError(
        `DOCKER_CERT_PATH must hold ca.pem, cert.pem and key.pem (${join(folder, name)}: ${(error as NodeJS.ErrnoException).code ?? error})`,
        { cause: error },
      );
    }
  };
  return { ca: read('ca.pem'), cert: read('cert.pem'), key: read('key.pem') };
}
