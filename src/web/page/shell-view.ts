import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';

/** Lines kept above the screen, and saved by Download scrollback. */
const SCROLLBACK = 10_000;

/**
 * xterm.js as a real terminal: what the shell prints goes in as bytes (xterm decodes UTF-8 itself,
 * also a character split between two frames), keys come out as the bytes a terminal sends. It
 * fills its box and says when its size in cells changes. The box carries `data-cols`, `data-rows`
 * and `data-bytes` (received) for whoever watches the page.
 */
export class ShellView {
  private readonly terminal = new Terminal({
    cursorBlink: true,
    scrollback: SCROLLBACK,
    fontSize: 14,
    theme: { background: '#0f1419' },
  });
  private readonly fit = new FitAddon();
  private readonly encoder = new TextEncoder();
  private received = 0;

  constructor(private readonly box: HTMLElement) {
    this.terminal.loadAddon(this.fit);
    this.terminal.open(box);
    this.fit.fit();
    new ResizeObserver(() => this.fit.fit()).observe(box);
    this.terminal.onResize(() => this.showSize());
    this.showSize();
    this.terminal.focus();
  }

  get size(): { cols: number; rows: number } {
    return { cols: this.terminal.cols, rows: this.terminal.rows };
  }

  /** What is typed or pasted, as bytes. */
  onInput(send: (bytes: Uint8Array) => void): void {
    this.terminal.onData((text) => send(this.encoder.encode(text)));
    // Some mouse reports are bytes that are not UTF-8; xterm hands them over as a binary string.
    this.terminal.onBinary((text) => send(Uint8Array.from(text, (char) => char.charCodeAt(0))));
  }

  onResize(listener: (size: { cols: number; rows: number }) => void): void {
    this.terminal.onResize(listener);
  }

  write(bytes: Uint8Array): void {
    this.received += bytes.length;
    this.box.dataset.bytes = String(this.received);
    this.terminal.write(bytes);
  }

  /** A line of our own, dimmed, between the shell's output. */
  note(text: string): void {
    this.terminal.write(`\r\n\x1b[2m── ${text} ──\x1b[0m\r\n`);
  }

  /** The scrollback and the screen as text, one line per row. */
  text(): string {
    const buffer = this.terminal.buffer.active;
    const lines: string[] = [];
    for (let row = 0; row < buffer.length; row += 1) {
      const line = buffer.getLine(row);
      if (line && !line.isWrapped && lines.length > 0) lines.push('\n');
      lines.push(line?.translateToString(true) ?? '');
    }
    return `${lines.join('')}\n`;
  }

  focus(): void {
    this.terminal.focus();
  }

  private showSize(): void {
    this.box.dataset.cols = String(this.terminal.cols);
    this.box.dataset.rows = String(this.terminal.rows);
  }
}
