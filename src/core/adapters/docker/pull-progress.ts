import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { RuntimeUnavailableError } from '../../errors.js';
import type { PullProgress } from '../../ports/container-runtime.js';
import { type AssembledLine, LineAssembler } from './line-assembler.js';

/** One line of an image pull's progress; `error` when the engine or the registry gave up. */
export interface PullEvent extends PullProgress {
  readonly error?: string;
}

interface RawEvent {
  readonly status?: string;
  readonly id?: string;
  readonly error?: string;
  readonly progressDetail?: { readonly current?: number; readonly total?: number };
}

/** Progress lines are short JSON objects; a longer one is not progress. */
const MAX_EVENT_CHARS = 64 * 1024;

/**
 * Reads an image pull's progress (one JSON object per line) to its end. dockerode's followProgress
 * parses each line inside the stream's 'data' listener, where a line that is not JSON (a proxy's
 * error page) throws beyond any caller's reach and ends the process; here it fails the pull.
 */
export async function readPullEvents(
  stream: Readable,
  onProgress?: (progress: PullProgress) => void,
): Promise<PullEvent[]> {
  const events: PullEvent[] = [];
  const accept = ({ text, cut }: AssembledLine) => {
    if (text.trim() === '') return;
    const event = cut ? undefined : parse(text);
    if (!event) {
      throw new RuntimeUnavailableError(
        `The Docker engine answered a pull with something that is not progress: ${JSON.stringify(text.slice(0, 100))}`,
      );
    }
    const progress = {
      status: event.status ?? '',
      id: event.id,
      current: event.progressDetail?.current,
      total: event.progressDetail?.total,
    };
    events.push(typeof event.error === 'string' ? { ...progress, error: event.error } : progress);
    onProgress?.(progress);
  };
  const lines = new LineAssembler(MAX_EVENT_CHARS);
  const decoder = new StringDecoder('utf8');
  for await (const chunk of stream as AsyncIterable<Buffer>) lines.push(decoder.write(chunk), accept);
  lines.push(decoder.end(), accept);
  lines.flush(accept);
  return events;
}

function parse(text: string): RawEvent | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as RawEvent)
      : undefined;
  } catch {
    return undefined;
  }
}
