import type Docker from 'dockerode';
import { LABELS } from '../../src/core/domain/container-labels.js';

/** The container events that mean it is being ended: SIGTERM sent, process gone, container deleted. */
const ENDING = ['kill', 'die', 'destroy'];

interface DockerEvent {
  readonly id?: string;
  readonly Actor?: { readonly ID?: string };
  readonly timeNano?: number;
}

/**
 * When Docker itself saw each container of an instance begin to end (its first kill, die or destroy
 * event, in epoch ms), between `sinceMs` and now: the engine's record, not when a test's poll
 * happened to notice. Asks for whole seconds around the window, so nothing in it is missed.
 */
export async function containerEndings(
  docker: Docker,
  instanceId: string,
  sinceMs: number,
): Promise<Map<string, number>> {
  const stream = await docker.getEvents({
    since: Math.floor(sinceMs / 1000) - 1,
    until: Math.ceil(Date.now() / 1000),
    filters: { type: ['container'], event: ENDING, label: [`${LABELS.instance}=${instanceId}`] },
  });
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  const endings = new Map<string, number>();
  for (const line of text.split('\n').filter(Boolean)) {
    const event = JSON.parse(line) as DockerEvent;
    const id = event.Actor?.ID ?? event.id ?? '';
    // timeNano exceeds 2^53: read as a double it is off by well under a microsecond.
    const at = Math.floor((event.timeNano ?? 0) / 1e6);
    endings.set(id, Math.min(endings.get(id) ?? at, at));
  }
  return endings;
}
