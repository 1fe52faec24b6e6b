import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { DockerProcess } from '../../../../../../src/core/adapters/docker/exec/docker-process.js';

/** A TTY process over a connection that, like runsc's, stays open whatever its container does. */
function processOver(containerStopped: () => Promise<boolean>) {
  const stream = new PassThrough();
  const process = new DockerProcess({
    // Neither resize nor inspect is called here: the engine's exec object is never touched.
    exec: {} as Docker.Exec,
    stream,
    tty: true,
    where: 'the test engine',
    answerMs: 1_000,
    killTree: async () => {},
    containerStopped,
    watchMs: 5,
  });
  return { stream, process };
}

async function readAll(output: AsyncIterable<Uint8Array>): Promise<string> {
  let text = '';
  for await (const chunk of output) text += Buffer.from(chunk).toString();
  return text;
}

describe('a process whose container stops while the engine keeps its connection open', () => {
  it('GIVEN the container is reported stopped THEN the output ends without an error, after what was printed', async () => {
    let stopped = false;
    const { stream, process } = processOver(async () => stopped);
    const reading = readAll(process.output);
    stream.write('\x1b]6301;7\x07$ echo 42\r\n42\r\n');
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(stream.destroyed).toBe(false);
    stopped = true;
    await expect(reading).resolves.toBe('$ echo 42\r\n42\r\n');
    expect(stream.destroyed).toBe(true);
  });

  it('GIVEN the container still runs THEN the process is left alone, its output flowing to its end', async () => {
    let asked = 0;
    const { stream, process } = processOver(async () => {
      asked += 1;
      return false;
    });
    const reading = readAll(process.output);
    await new Promise((resolve) => setTimeout(resolve, 40));
    stream.end('\x1b]6301;7\x07still here');
    await expect(reading).resolves.toBe('still here');
    expect(asked).toBeGreaterThan(1);
  });
});
