import type { ContainerRuntime } from '../ports/container-runtime.js';
import { type EndedLease, FINAL_LOG_CHARS, FINAL_LOG_LINES, type FinalLogs } from '../ports/final-logs.js';
import type { Logger } from '../ports/logger.js';
import { Backlog } from './backlog.js';

/**
 * Keeps the last lines of a lease's stopped container before it is removed, so its log page can still show
 * them. Best effort: a failure is logged and never holds up the removal. The log is read as a stream,
 * a piece per turn of the event loop, so a stop in the web process keeps it answering meanwhile.
 */
export async function captureFinalLogs(
  deps: { readonly runtime: ContainerRuntime; readonly finalLogs: FinalLogs; readonly logger: Logger },
  lease: EndedLease & { readonly containerId: string },
): Promise<void> {
  if (!lease.containerId) return;
  try {
    // The tail counts the driver's messages, and a message without a newline comes as several cut
    // lines: only the last lines that fit FINAL_LOG_LINES and FINAL_LOG_CHARS are held as they
    // arrive (always the very last), not megabytes of them.
    const last = new Backlog(FINAL_LOG_LINES, FINAL_LOG_CHARS);
    for await (const line of deps.runtime.logs(lease.containerId, { follow: false, tail: FINAL_LOG_LINES }))
      last.add(line);
    const lines = last.lines();
    if (lines.length > 0) await deps.finalLogs.save(lease, lines);
  } catch (error) {
    deps.logger.debug({ leaseId: lease.id, error: (error as Error).message }, 'final logs not captured');
  }
}
