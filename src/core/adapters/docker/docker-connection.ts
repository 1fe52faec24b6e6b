import Docker from 'dockerode';

export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';

/** A dockerode client for `DOCKER_HOST` (unix:///path, tcp://host:port, http(s)://host:port) and where it points. */
export function connectDocker(host: string | undefined): { docker: Docker; where: string } {
  if (host === undefined || host.startsWith('unix://')) {
    const socketPath = host ? host.slice('unix://'.length) : DEFAULT_DOCKER_SOCKET;
    return { docker: new Docker({ socketPath }), where: `unix://${socketPath}` };
  }
  const url = new URL(host.replace(/^tcp:/, 'http:'));
  const protocol = url.protocol === 'https:' ? 'https' : 'http';
  const port = Number(url.port || (protocol === 'https' ? 2376 : 2375));
  return {
    docker: new Docker({ protocol, host: url.hostname, port }),
    where: `${protocol}://${url.hostname}:${port}`,
  };
}
