import '@xterm/xterm/css/xterm.css';
import { CLOSE_CODES, type WireLine } from '../logs/log-protocol.js';
import { ResumeFilter } from '../logs/resume-cursor.js';
import { byId, download, notify } from './dom.js';
import { LeaseHeader } from './lease-header.js';
import { LogSocket } from './log-socket.js';
import { LogTerminal } from './log-terminal.js';
import { QuietNote } from './quiet-note.js';

/**
 * The log page of one lease: `/logs/<id>`, reached through its signed logs link, whose cookie lets
 * the socket and the final logs in. Signed in (a session), the page also shows the time left and
 * manages the lease; with the logs link alone it shows the logs only.
 */
const leaseId = decodeURIComponent(location.pathname.split('/')[2] ?? '');
const terminal = new LogTerminal(byId('terminal'), byId<HTMLButtonElement>('jump'));
const header = new LeaseHeader(leaseId, 'Logs');
const connection = byId('connection');
const quiet = new QuietNote(byId('quiet'));
for (const link of document.querySelectorAll<HTMLAnchorElement>('.terminal-link')) {
  link.href = `/terminal/${encodeURIComponent(leaseId)}`;
}

const socket = new LogSocket(leaseId, {
  lines: (lines) => {
    quiet.heard();
    terminal.write(lines);
  },
  gap: (skipped) => terminal.note(`${skipped} lines skipped: this page fell behind the container`),
  status: (text) => {
    connection.textContent = text;
    if (text === 'live') quiet.listening();
  },
  ended: (code) => void ended(code),
});

async function ended(code: number): Promise<void> {
  quiet.heard();
  connection.textContent = '';
  if (code === CLOSE_CODES.containerStopped) {
    header.ended('container stopped');
    notify('The container has stopped; the lease lasts until it expires or you stop it.');
    return;
  }
  header.ended('ended');
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

byId('download').addEventListener('click', () => download(`lease-${leaseId}.log`, terminal.text()));

async function main(): Promise<void> {
  const opened = await header.load();
  if (opened === 'refused') return;
  // Gone already: the socket is closed with "lease ended" at once and the final logs follow.
  if (opened === 'link-only') header.linkOnly('the logs');
  quiet.offerTerminal(opened === 'managed');
  socket.start();
}

void main();
