import { DockerExec } from '../../src/core/adapters/docker/exec/docker-exec.js';
import { collect } from './exec-container.js';
import { testDocker } from './services.js';

/** The container's process table (`ps -o pid,args`), read through an exec of its own. */
export async function psIn(containerId: string): Promise<string> {
  const ps = await new DockerExec(testDocker(), 'test').spawn(containerId, {
    argv: ['ps', '-o', 'pid,args'],
  });
  return (await collect(ps)).toString('utf8');
}
