import '@xterm/xterm/css/xterm.css';
import type { ServerControl } from '../terminal/terminal-protocol.js';
import { TERMINAL_CLOSE_CODES } from '../terminal/terminal-protocol.js';
import { byId, download, notify } from './dom.js';
import { LeaseHeader } from './lease-header.js';
import { ShellSocket } from './shell-socket.js';
import { ShellView } from './shell-view.js';

/**
 * The terminal page of one lease: `/terminal/<id>`, reached through its signed terminal link (whose
 * cookie lets the socket in) or from the dashboard (the session). A shell in the lease's container,
 * with the lease's header; when the shell or the lease ends, the page says why.
 */
const leaseId = decodeURIComponent(location.pathname.split('/')[2] ?? '');
const header = new LeaseHeader(leaseId, 'Terminal');
const view = new ShellView(byId('terminal'));
const connection = byId('connection');
const reconnect = byId<HTMLButtonElement>('reconnect');

/** What a close code means for the reader, and whether a new shell may help. */
const ENDINGS: Record<number, { label: string; again: boolean }> = {
  [TERMINAL_CLOSE_CODES.leaseEnded]: { label: 'ended', again: false },
  [TERMINAL_CLOSE_CODES.containerStopped]: { label: 'container stopped', again: false },
  [TERMINAL_CLOSE_CODES.leaseStarting]: { label: 'starting', again: true },
  [TERMINAL_CLOSE_CODES.tooMany]: { label: 'too many terminals', again: true },
  [TERMINAL_CLOSE_CODES.idle]: { label: 'idle', again: true },
};

const socket = new ShellSocket(leaseId, {
  output: (bytes) => view.write(bytes),
  control: (message) => shown(message),
  status: (text) => {
    connection.textContent = text;
  },
  closed: (code, reason) => closed(code, reason),
});
view.onInput((bytes) => socket.send(bytes));
view.onResize((size) => socket.resize(size));

function shown(message: ServerControl): void {
  if (message.type === 'exit') {
    const code = message.code === null ? '' : ` with code ${message.code}`;
    view.note(`the shell exited${code}`);
  } else if (message.type === 'ended') {
    notify(`The terminal was closed: ${message.reason}.`);
  } else {
    notify(message.message, 'error');
  }
}

function closed(code: number, reason: string): void {
  connection.textContent = 'closed';
  const ending = ENDINGS[code];
  if (ending && !ending.again) {
    header.ended(ending.label);
    view.note(reason || ending.label);
    return;
  }
  if (code !== TERMINAL_CLOSE_CODES.shellExited && !ending) {
    notify(
      `The terminal could not be opened or was cut off${reason ? ` (${reason})` : ''}. Open a new shell to try again.`,
      'error',
    );
  }
  reconnect.hidden = false;
}

reconnect.addEventListener('click', () => {
  reconnect.hidden = true;
  notify(undefined);
  connection.textContent = 'connecting…';
  view.note('new shell');
  socket.open(view.size);
  view.focus();
});

byId('download').addEventListener('click', () => download(`lease-${leaseId}-terminal.txt`, view.text()));

async function main(): Promise<void> {
  const opened = await header.load();
  if (opened === 'refused') return;
  if (opened === 'link-only') header.linkOnly('the terminal');
  if (header.lease) byId<HTMLAnchorElement>('logs-link').href = header.lease.logsUrl;
  // Gone already: the socket says the lease ended, and the page shows it.
  socket.open(view.size);
}

void main();
