import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';

/** Runs a command in a running container and returns what it printed and its exit code. */
export async function execIn(
  docker: Docker,
  containerId: string,
  cmd: readonly string[],
): Promise<{ readonly output: string; readonly exitCode: number | null }> {
  const exec = await docker.getContainer(containerId).exec({
    Cmd: [...cmd],
    AttachStdout: true,
    AttachStderr: true,
  });
  const stream = await exec.start({ hijack: true, stdin: false });
  let output = '';
  const sink = new PassThrough();
  sink.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  docker.modem.demuxStream(stream, sink, sink);
  await new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', reject);
  });
  const { ExitCode } = await exec.inspect();
  return { output, exitCode: ExitCode };
}

/**
 * The HTTP status a container gets from `http://address:port/path`, whatever it is (busybox wget
 * prints the response's status line with -S), or undefined when no answer came: the connection was
 * refused, closed unanswered or timed out.
 */
export async function statusFrom(
  docker: Docker,
  containerId: string,
  address: string,
  port: number,
  path = '/',
): Promise<number | undefined> {
  const url = `http://${address}:${port}${path}`;
  const { output } = await execIn(docker, containerId, [
    'sh',
    '-c',
    'timeout 3 wget -S -O /dev/null "$1" 2>&1',
    'probe',
    url,
  ]);
  const status = /HTTP\/1\.[01] (\d{3})/.exec(output)?.[1];
  return status === undefined ? undefined : Number(status);
}

/**
 * Whether an HTTP server at `address:port` answers a request from inside the container with a
 * success (given 3 s: a dropped packet, a refusal and a closed connection all count as not answered).
 */
export async function answersFrom(
  docker: Docker,
  containerId: string,
  address: string,
  port: number,
  path = '/',
): Promise<boolean> {
  const status = await statusFrom(docker, containerId, address, port, path);
  return status !== undefined && status >= 200 && status < 300;
}

/** A container's address on a network, from `docker inspect`. */
export async function addressOn(docker: Docker, containerId: string, network: string): Promise<string> {
  const info = await docker.getContainer(containerId).inspect();
  const address = info.NetworkSettings.Networks[network]?.IPAddress;
  if (!address) throw new Error(`container ${containerId} has no address on ${network}`);
  return address;
}
