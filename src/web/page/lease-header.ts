import type { LeaseJson } from '../api-types.js';
import { ApiError, api } from './api.js';
import { startCountdowns, updateCountdowns } from './countdown.js';
import { byId, notify } from './dom.js';
import { armedButton } from './stop-button.js';

/** How the page was opened, as the header learns from the API. */
export type Opened =
  /** Signed in as the owner or an admin: the lease's controls work. */
  | 'managed'
  /** With a lease link alone (logs or terminal): the page's own view, without the controls. */
  | 'link-only'
  /** The lease is gone already. */
  | 'gone'
  /** Not this caller's lease, or the API failed: said in the notice line. */
  | 'refused';

/**
 * The bar atop a lease's pages (logs and terminal): its id and image, the time left, Extend and
 * Stop. Signed in, the controls work; opened with a lease link alone, they are hidden.
 */
export class LeaseHeader {
  private readonly countdown = byId('countdown');
  private readonly extendButton = byId<HTMLButtonElement>('extend');
  private readonly stopButton = byId<HTMLButtonElement>('stop');
  /** The lease as the API last showed it, once signed in. */
  lease: LeaseJson | undefined;

  constructor(
    private readonly leaseId: string,
    page: string,
  ) {
    byId('lease-id').textContent = leaseId;
    document.title = `${page} · lease ${leaseId} · ContainerLease`;
    startCountdowns();
    this.extendButton.addEventListener('click', () => void this.extend());
    armedButton(this.stopButton, 'Click again to stop', () => this.stop());
  }

  async load(): Promise<Opened> {
    try {
      this.show(await api.get(this.leaseId));
      return 'managed';
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.status === 404) return 'gone';
      if (error.status === 401) return 'link-only';
      notify(error.message, 'error');
      return 'refused';
    }
  }

  /** Hides the controls of a page opened with a lease link alone, saying where they are. */
  linkOnly(what: string): void {
    for (const element of document.querySelectorAll<HTMLElement>('.manage')) element.hidden = true;
    const id = this.leaseId;
    notify(
      `This link shows ${what} only. Stop or extend the lease from the chat (/lease stop ${id}, /lease extend ${id} <minutes>) or from your dashboard.`,
    );
  }

  /** The lease is over for this page: no more controls, `label` where the time left was. */
  ended(label: string): void {
    this.extendButton.disabled = true;
    this.stopButton.disabled = true;
    delete this.countdown.dataset.expiresAt;
    this.countdown.textContent = label;
  }

  private show(lease: LeaseJson): void {
    this.lease = lease;
    byId('image').textContent = `${lease.imageType} (${lease.image})`;
    this.countdown.dataset.expiresAt = lease.expiryTime;
    updateCountdowns(this.countdown.parentElement ?? document);
    this.extendButton.disabled = lease.status !== 'active';
    this.stopButton.disabled = false;
  }

  private async extend(): Promise<void> {
    const minutes = Number(byId<HTMLInputElement>('extend-minutes').value);
    this.extendButton.disabled = true;
    try {
      this.show(await api.extend(this.leaseId, minutes));
      notify(undefined);
    } catch (error) {
      notify(error instanceof ApiError ? error.message : String(error), 'error');
      this.extendButton.disabled = false;
    }
  }

  private async stop(): Promise<void> {
    // Said first: the socket may report the end before this request returns.
    notify('Stopping…');
    try {
      await api.stop(this.leaseId);
    } catch (error) {
      notify(error instanceof ApiError ? error.message : String(error), 'error');
      this.stopButton.disabled = false;
    }
  }
}
