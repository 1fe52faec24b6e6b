import '@xterm/xterm/css/xterm.css';
import type { LeaseJson } from '../api-types.js';
import { CLOSE_CODES, type WireLine } from '../logs/log-protocol.js';
import { ResumeFilter } from '../logs/resume-cursor.js';
import { ApiError, api } from './api.js';
import { startCountdowns, updateCountdowns } from './countdown.js';
import { byId, notify } from './dom.js';
import { LogSocket } from './log-socket.js';
import { LogTerminal } from './log-terminal.js';
import { armedButton } from './stop-button.js';

/**
 * The log page of one lease: `/logs/<id>`, reached through its signed logs link, whose cookie lets
 * the socket and the final logs in. Signed in (a session), the page also shows the time left and
 * manages the lease; with the logs link alone it shows the logs only.
 */
const leaseId = decodeURIComponent(location.pathname.split('/')[2] ?? '');
const terminal = new LogTerminal(byId('terminal'), byId<HTMLButtonElement>('jump'));
const countdown = byId('countdown');
const extendButton = byId<HTMLButtonElement>('extend');
const stopButton = byId<HTMLButtonElement>('stop');
const connection = byId('connection');

byId('lease-id').textContent = leaseId;
document.title = `Lease ${leaseId} · ContainerLease`;
startCountdowns();

const socket = new LogSocket(leaseId, {
  lines: (lines) => terminal.write(lines),
  gap: (skipped) => terminal.note(`${skipped} lines skipped: this page fell behind the container`),
  status: (text) => {
    connection.textContent = text;
  },
  ended: (code) => void ended(code),
});

function show(lease: LeaseJson): void {
  byId('image').textContent = `${lease.imageType} (${lease.image})`;
  countdown.dataset.expiresAt = lease.expiryTime;
  updateCountdowns(countdown.parentElement ?? document);
  extendButton.disabled = lease.status !== 'active';
  stopButton.disabled = false;
}

async function ended(code: number): Promise<void> {
  extendButton.disabled = true;
  stopButton.disabled = true;
  delete countdown.dataset.expiresAt;
  if (code === CLOSE_CODES.containerStopped) {
    countdown.textContent = 'container stopped';
    connection.textContent = '';
    notify('The container has stopped; the lease lasts until it expires or you stop it.');
    return;
  }
  countdown.textContent = 'ended';
  connection.textContent = '';
  notify('This lease has ended. Below are its final logs.');
  const lines = await finalLogs();
  const after = new ResumeFilter(socket.tracker.cursor);
  terminal.write(lines.filter((line) => after.admits(line)));
  terminal.note('lease ended');
}

/** The cleanup job saves the final logs while it removes the container; give it a moment. */
async function finalLogs(): Promise<readonly WireLine[]> {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const response = await fetch(`/logs/${encodeURIComponent(leaseId)}/final`, {
      credentials: 'same-origin',
    });
    if (response.ok) return ((await response.json()) as { lines: WireLine[] }).lines;
    if (response.status !== 404) break;
    await new Promise((resolve) => setTimeout(resolve, 500 * 2 ** attempt));
  }
  return [];
}

extendButton.addEventListener('click', async () => {
  const minutes = Number(byId<HTMLInputElement>('extend-minutes').value);
  extendButton.disabled = true;
  try {
    show(await api.extend(leaseId, minutes));
    notify(undefined);
  } catch (error) {
    notify(error instanceof ApiError ? error.message : String(error), 'error');
    extendButton.disabled = false;
  }
});

armedButton(stopButton, 'Click again to stop', async () => {
  // Said first: the socket may report the end before this request returns.
  notify('Stopping…');
  try {
    await api.stop(leaseId);
  } catch (error) {
    notify(error instanceof ApiError ? error.message : String(error), 'error');
    stopButton.disabled = false;
  }
});

byId('download').addEventListener('click', () => {
  const blob = new Blob([terminal.text()], { type: 'text/plain' });
  const link = Object.assign(document.createElement('a'), {
    href: URL.createObjectURL(blob),
    download: `lease-${leaseId}.log`,
  });
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
});

/** Not signed in: a logs link shows the logs and nothing else, so the lease's controls go. */
function logsOnly(): void {
  for (const element of document.querySelectorAll<HTMLElement>('.manage')) element.hidden = true;
  notify(
    `This link shows the logs only. Stop or extend the lease from the chat (/lease stop ${leaseId}, /lease extend ${leaseId} <minutes>) or from your dashboard.`,
  );
}

async function main(): Promise<void> {
  try {
    show(await api.get(leaseId));
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.status === 404) {
      // Gone already: the socket is closed with "lease ended" at once and the final logs follow.
    } else if (error.status === 401) {
      logsOnly();
    } else {
      notify(error.message, 'error');
      if (error.status === 403) return;
    }
  }
  socket.start();
}

void main();
