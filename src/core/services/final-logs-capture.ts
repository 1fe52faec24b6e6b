import type { ContainerRuntime, LogLine } from '../ports/container-runtime.js';
import { type EndedLease, FINAL_LOG_CHARS, FINAL_LOG_LINES, type FinalLogs } from '../ports/final-logs.js';
import type { Logger } from '../ports/logger.js';

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
    let lines: LogLine[] = [];
    for await (const line of deps.runtime.logs(lease.containerId, { follow: false, tail: FINAL_LOG_LINES })) {
      lines.push(line);
      // The tail counts the driver's messages, and a message without a newline comes as several cut
      // lines: keep only the last ones as they arrive, not megabytes of them.
      if (lines.length >= 2 * FINAL_LOG_LINES) lines = lines.slice(-FINAL_LOG_LINES);
    }
    if (lines.length > 0) await deps.finalLogs.save(lease, lastLines(lines));
  } catch (error) {
    deps.logger.debug({ leaseId: lease.id, error: (error as Error).message }, 'final logs not captured');
  }
}

/** The last FINAL_LOG_LINES lines that hold at most FINAL_LOG_CHARS of text (always the very last line). */
function lastLines(lines: readonly LogLine[]): LogLine[] {
  let chars = 0;
  let first = lines.length;
  while (first > 0 && lines.length - first < FINAL_LOG_LINES) {
    chars += lines[first - 1]?.text.length ?? 0;
    if (chars > FINAL_LOG_CHARS && first < lines.length) break;
    first -= 1;
  }
  return lines.slice(first);
}
