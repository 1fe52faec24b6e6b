import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import { MAX_LINE_CHARS, type WireLine } from '../logs/log-protocol.js';

/** Lines kept for the download, beyond what the terminal shows. */
const KEPT_LINES = 100_000;
/** Lines the terminal keeps above the screen; also the most that wait while the reader is away. */
const SCROLLBACK = 20_000;
/**
 * Lines handed to xterm at once. It parses a write in slices over several frames; waiting for each
 * chunk keeps the backlog in our queue, where the reader's pause can hold it, not in xterm's.
 */
const CHUNK_LINES = 1_000;
const RED = '\x1b[31m';
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';

const dimmed = (text: string) => `${DIM}── ${text} ──${RESET}\n`;
/** Said after a line the server cut, on the page and in the download. */
const CUT_NOTE = `[line cut at ${MAX_LINE_CHARS} characters; it continues below]`;

/**
 * The log view: xterm.js renders the container's ANSI colours. It follows the newest lines while
 * the reader is at the bottom. Once they scroll up, new lines wait here instead of entering the
 * terminal: a chatty container would otherwise push the reader's place out of the scrollback within
 * seconds. The "follow" button counts what waits and brings it in.
 */
export class LogTerminal {
  private readonly terminal = new Terminal({
    convertEol: true,
    disableStdin: true,
    cursorStyle: 'bar',
    cursorInactiveStyle: 'none',
    scrollback: SCROLLBACK,
    fontSize: 13,
    theme: { background: '#0f1419' },
  });
  private readonly fit = new FitAddon();
  private readonly kept: string[] = [];
  /** Rendered lines not yet in the terminal. */
  private readonly waiting: string[] = [];
  /** Lines dropped from `waiting` because more than the scrollback piled up. */
  private skipped = 0;
  private writing = false;
  /** Lines received, also on the container as `data-lines` for whoever watches the page. */
  private received = 0;

  constructor(
    private readonly container: HTMLElement,
    private readonly jump: HTMLButtonElement,
  ) {
    this.terminal.loadAddon(this.fit);
    this.terminal.open(container);
    this.fit.fit();
    // Refit whenever the box changes size: a window resize, or the notice line appearing above it.
    new ResizeObserver(() => this.fit.fit()).observe(container);
    // Scrolling back down to the bottom resumes, as the button does.
    this.terminal.onScroll(() => this.pump());
    jump.addEventListener('click', () => {
      this.terminal.scrollToBottom();
      this.pump();
    });
  }

  write(lines: readonly WireLine[]): void {
    if (lines.length === 0) return;
    for (const line of lines) {
      // stderr in red, unless the program colours its own output.
      const text =
        line.stream === 'stderr' && !line.text.includes('\x1b[') ? `${RED}${line.text}${RESET}` : line.text;
      this.waiting.push(line.cut ? `${text}${RESET}${DIM} ${CUT_NOTE}${RESET}\n` : `${text}\n`);
      this.kept.push(`${line.ts} ${line.stream} ${line.text}${line.cut ? ` ${CUT_NOTE}` : ''}`);
    }
    if (this.kept.length > KEPT_LINES) this.kept.splice(0, this.kept.length - KEPT_LINES);
    const excess = this.waiting.length - SCROLLBACK;
    if (excess > 0) {
      this.waiting.splice(0, excess);
      this.skipped += excess;
    }
    this.received += lines.length;
    this.container.dataset.lines = String(this.received);
    this.pump();
  }

  note(text: string): void {
    this.waiting.push(dimmed(text));
    this.pump();
  }

  /** The lines received so far (up to the last 100 000), as `timestamp stream text`. */
  text(): string {
    return this.kept.length === 0 ? '' : `${this.kept.join('\n')}\n`;
  }

  /** Hands the next chunk to xterm when the reader follows and xterm has parsed the previous one. */
  private pump(): void {
    this.updateJump();
    if (this.writing || this.waiting.length === 0 || !this.following()) return;
    let text = '';
    if (this.skipped > 0) {
      text += dimmed(
        `${this.skipped} lines not shown while you read above; Download logs keeps the last ${KEPT_LINES}`,
      );
      this.skipped = 0;
    }
    text += this.waiting.splice(0, CHUNK_LINES).join('');
    this.writing = true;
    this.terminal.write(text, () => {
      this.writing = false;
      this.pump();
    });
  }

  private following(): boolean {
    const buffer = this.terminal.buffer.active;
    return buffer.viewportY >= buffer.baseY;
  }

  /** Runs on every line xterm scrolls in, so it touches the page only when something changed. */
  private updateJump(): void {
    const following = this.following();
    if (this.jump.hidden !== following) this.jump.hidden = following;
    if (following) return;
    const unseen = this.waiting.length + this.skipped;
    const label = unseen > 0 ? `↓ ${unseen.toLocaleString('en')} new lines` : '↓ Follow new lines';
    if (this.jump.textContent !== label) this.jump.textContent = label;
  }
}
