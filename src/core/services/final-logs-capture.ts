import type { ContainerRuntime, LogLine } from '../ports/container-runtime.js';
import { type EndedLease, FINAL_LOG_CHARS, FINAL_LOG_LINES, type FinalLogs } from '../ports/final-logs.js';
import type { Logger } from '../ports/logger.js';
import { LastLines } from './last-lines.js';

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
    // lines: only the last FINAL_LOG_LINES are held as they arrive, not megabytes of them.
    const last = new LastLines(FINAL_LOG_LINES);
    for await (const line of deps.runtime.logs(lease.containerId, { follow: false, tail: FINAL_LOG_LINES }))
      last.push(line);
    const lines = withinChars(last.lines());
    if (lines.length > 0) await deps.finalLogs.save(lease, lines);
  } catch (error) {
    deps.logger.debug({ leaseId: lease.id, error: (error as Error).message }, 'final logs not captured');
  }
}

/** The last lines that hold at most FINAL_LOG_CHARS of text together (always the very last line). */
function withinChars(lines: readonly LogLine[]): LogLine[] {
  let chars = 0;
  let kept = 0;
  for (const line of [...lines].reverse()) {
    chars += line.text.length;
    if (chars > FINAL_LOG_CHARS && kept > 0) break;
    kept += 1;
  }
  return lines.slice(lines.length - kept);
}
