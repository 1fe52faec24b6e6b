/** How long a live log stays empty before the page says so. */
const QUIET_MS = 2_000;

/**
 * The note a log page shows when the container has printed nothing (every built-in image just
 * sleeps): it says so, and offers the lease's terminal, which is where the work happens.
 */
export class QuietNote {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lines = 0;

  constructor(private readonly note: HTMLElement) {}

  /** Signed in, the note links to the terminal; with a logs link alone it says where to find it. */
  offerTerminal(signedIn: boolean): void {
    for (const element of this.note.querySelectorAll<HTMLElement>('[data-signed-in]')) {
      element.hidden = element.dataset.signedIn !== String(signedIn);
    }
  }

  /** The stream is live: unless a line comes soon, the note shows. */
  listening(): void {
    if (this.lines > 0 || this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.note.hidden = this.lines > 0;
    }, QUIET_MS);
  }

  heard(): void {
    this.lines += 1;
    clearTimeout(this.timer);
    this.note.hidden = true;
  }
}
