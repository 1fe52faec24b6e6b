import type Docker from 'dockerode';
import { DockerExec } from '../../src/core/adapters/docker/exec/docker-exec.js';
import type { ContainerProcess } from '../../src/core/ports/container-exec.js';
import { removeInstanceContainers, TEST_IMAGE, testDocker, uniqueInstance } from './services.js';

/** A running busybox container, hardened as leases are (no capabilities, init), to exec into. */
export interface ExecContainer {
  readonly id: string;
  readonly docker: Docker;
  readonly exec: DockerExec;
  /** The process table (`ps -o pid,args`) as the container sees it, through a plain exec. */
  ps(): Promise<string>;
  remove(): Promise<void>;
}

export async function startExecContainer(): Promise<ExecContainer> {
  const docker = testDocker();
  const instance = uniqueInstance();
  const container = await docker.createContainer({
    Image: TEST_IMAGE,
    Cmd: ['sleep', '3600'],
    Labels: { 'io.containerlease.instance': instance },
    HostConfig: { Init: true, CapDrop: ['ALL'], SecurityOpt: ['no-new-privileges:true'], PidsLimit: 64 },
  });
  await container.start();
  const exec = new DockerExec(docker, 'test');
  return {
    id: container.id,
    docker,
    exec,
    ps: async () => {
      const ps = await exec.spawn(container.id, { argv: ['ps', '-o', 'pid,args'] });
      return (await collect(ps)).toString('utf8');
    },
    remove: () => removeInstanceContainers(docker, instance),
  };
}

/** Everything a process wrote, once its output ended. */
export async function collect(process: ContainerProcess): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of process.output) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** Reads a process's output into `seen` as it comes, until it ends. */
export function record(process: ContainerProcess): {
  text: () => string;
  bytes: () => Buffer;
  ended: Promise<void>;
} {
  const chunks: Uint8Array[] = [];
  const ended = (async () => {
    for await (const chunk of process.output) chunks.push(chunk);
  })();
  return { bytes: () => Buffer.concat(chunks), text: () => Buffer.concat(chunks).toString('utf8'), ended };
}
