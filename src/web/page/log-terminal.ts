import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import type { WireLine } from '../logs/log-protocol.js';

/** Lines kept for the download, beyond what the terminal shows. */
const KEPT_LINES = 100_000;
const RED = '\x1b[31m';
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';

/**
 * The log view: xterm.js renders the container's ANSI colours. It stays at the bottom while the
 * reader is there; once they scroll up it keeps their place (xterm's own rule) and the "follow"
 * button appears until they come back down.
 */
export class LogTerminal {
  private readonly terminal = new Terminal({
    convertEol: true,
    disableStdin: true,
    cursorStyle: 'bar',
    cursorInactiveStyle: 'none',
    scrollback: 20_000,
    fontSize: 13,
    theme: { background: '#0f1419' },
  });
  private readonly fit = new FitAddon();
  private readonly kept: string[] = [];
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
    this.terminal.onScroll(() => this.updateJump());
    this.terminal.onWriteParsed(() => this.updateJump());
    jump.addEventListener('click', () => this.terminal.scrollToBottom());
  }

  write(lines: readonly WireLine[]): void {
    if (lines.length === 0) return;
    let text = '';
    for (const line of lines) {
      // stderr in red, unless the program colours its own output.
      text +=
        line.stream === 'stderr' && !line.text.includes('\x1b[')
          ? `${RED}${line.text}${RESET}\n`
          : `${line.text}\n`;
      this.kept.push(`${line.ts} ${line.stream} ${line.text}`);
    }
    if (this.kept.length > KEPT_LINES) this.kept.splice(0, this.kept.length - KEPT_LINES);
    this.received += lines.length;
    this.container.dataset.lines = String(this.received);
    this.terminal.write(text);
  }

  note(text: string): void {
    this.terminal.write(`${DIM}── ${text} ──${RESET}\n`);
  }

  /** The lines received so far (up to the last 100 000), as `timestamp stream text`. */
  text(): string {
    return this.kept.length === 0 ? '' : `${this.kept.join('\n')}\n`;
  }

  private updateJump(): void {
    const buffer = this.terminal.buffer.active;
    this.jump.hidden = buffer.viewportY >= buffer.baseY;
  }
}
