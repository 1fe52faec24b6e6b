import type { ContainerActivity } from '../ports/container-activity.js';

/** Tells every one of `parts` each event, in order: the log line and the audit entry, say. */
export function composedActivity(...parts: readonly ContainerActivity[]): ContainerActivity {
  return {
    terminalOpened: (record) => {
      for (const part of parts) part.terminalOpened(record);
    },
    terminalClosed: (record) => {
      for (const part of parts) part.terminalClosed(record);
    },
    commandRan: (record) => {
      for (const part of parts) part.commandRan(record);
    },
  };
}
