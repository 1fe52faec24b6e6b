import type { ImageJson, LeaseJson } from '../api-types.js';
import { type AdminView, startAdminView } from './admin-view.js';
import { ApiError, api, signInHint } from './api.js';
import { startCountdowns, updateCountdowns } from './countdown.js';
import { byId, el, notify } from './dom.js';
import { armedButton } from './stop-button.js';

/** The dashboard at `/`: the signed-in owner's leases, and a form to provision another. */
const EXTEND_MINUTES = 30;
const REFRESH_MS = 15_000;

const form = byId<HTMLFormElement>('provision-form');
const imageSelect = byId<HTMLSelectElement>('image-type');
const minutesInput = byId<HTMLInputElement>('minutes');
const portInput = byId<HTMLInputElement>('port');
const formStatus = byId('form-status');
const rows = byId<HTMLTableSectionElement>('lease-rows');
/** The port links opened on this page, by lease, so a refresh of the rows keeps them. */
const portLinks = new Map<string, { readonly port: number; readonly url: string }>();
/** Only for a viewer whose `/api/me` says `isAdmin`. */
let adminView: AdminView | undefined;

function showImages(images: readonly ImageJson[]): void {
  imageSelect.replaceChildren(
    ...images.map((image) =>
      el(
        'option',
        { value: image.name, 'data-max': String(image.maxMinutes) },
        `${image.name} — ${image.description}`,
      ),
    ),
  );
  limitMinutes();
}

/** The minutes field allows at most what the chosen image allows. */
function limitMinutes(): void {
  const max = imageSelect.selectedOptions[0]?.dataset.max;
  if (max) minutesInput.max = max;
  if (max && Number(minutesInput.value) > Number(max)) minutesInput.value = max;
}

function row(lease: LeaseJson): HTMLTableRowElement {
  const extend = el('button', { type: 'button', class: 'secondary' }, `+${EXTEND_MINUTES} min`);
  const stop = el('button', { type: 'button', class: 'danger' }, 'Stop');
  extend.disabled = lease.status !== 'active';
  extend.addEventListener('click', () => act(extend, () => api.extend(lease.id, EXTEND_MINUTES)));
  armedButton(stop, 'Really stop?', () => act(stop, () => api.stop(lease.id)));
  return el(
    'tr',
    { 'data-lease-id': lease.id },
    el('td', {}, el('a', { href: lease.logsUrl, title: 'Live logs' }, el('code', {}, lease.id))),
    el('td', {}, lease.imageType),
    el('td', { class: 'countdown', 'data-expires-at': lease.expiryTime }),
    el('td', {}, lease.status === 'active' ? lease.containerState : lease.status),
    el('td', { class: 'port' }, portOpener(lease)),
    el(
      'td',
      { class: 'actions' },
      el('a', { href: `/terminal/${encodeURIComponent(lease.id)}`, class: 'button-link' }, 'Terminal'),
      el('a', { href: lease.logsUrl, class: 'button-link secondary' }, 'Logs'),
      extend,
      stop,
    ),
  );
}

/**
 * A port field and Open: the server signs a link to that port on the port proxy, shown as a link
 * to follow (a window opened after the request would be a pop-up the browser blocks).
 */
function portOpener(lease: LeaseJson): HTMLFormElement {
  const port = el('input', {
    type: 'number',
    min: '1',
    max: '65535',
    step: '1',
    placeholder: '8000',
    'aria-label': `Port of ${lease.id}`,
    required: '',
  });
  const open = el('button', { type: 'submit', class: 'secondary' }, 'Open');
  const opened = portLinks.get(lease.id);
  const link = el('span', { class: 'port-link' }, ...(opened ? [portAnchor(opened.port, opened.url)] : []));
  const form = el('form', { class: 'port-form' }, port, open, link);
  open.disabled = lease.status !== 'active';
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    open.disabled = true;
    try {
      const wanted = Number(port.value);
      const { url } = await api.portLink(lease.id, wanted);
      portLinks.set(lease.id, { port: wanted, url });
      link.replaceChildren(portAnchor(wanted, url));
      notify(undefined);
    } catch (error) {
      report(error);
    } finally {
      open.disabled = false;
    }
  });
  return form;
}

function portAnchor(port: number, url: string): HTMLAnchorElement {
  return el('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, `Open port ${port}`);
}

function showLeases(leases: readonly LeaseJson[]): void {
  const sorted = [...leases].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  rows.replaceChildren(...sorted.map(row));
  updateCountdowns(rows);
  byId('empty').hidden = leases.length > 0;
}

async function refresh(): Promise<void> {
  try {
    showLeases(await api.list());
  } catch (error) {
    report(error);
  }
  await adminView?.refresh();
}

async function act(button: HTMLButtonElement, call: () => Promise<unknown>): Promise<void> {
  button.disabled = true;
  try {
    await call();
    notify(undefined);
  } catch (error) {
    report(error);
    button.disabled = false;
  }
  await refresh();
}

function report(error: unknown): void {
  if (error instanceof ApiError) notify(signInHint(error) ?? error.message, 'error');
  else notify(String(error), 'error');
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const submit = byId<HTMLButtonElement>('provision');
  submit.disabled = true;
  formStatus.textContent = 'Provisioning… (the first use of an image may pull it)';
  try {
    const port = portInput.value === '' ? undefined : Number(portInput.value);
    const lease = await api.provision(imageSelect.value, Number(minutesInput.value), port);
    formStatus.replaceChildren(`Lease ${lease.id} is ready. `);
    if (lease.portLink) formStatus.append(portAnchor(lease.portLink.port, lease.portLink.url));
    notify(undefined);
  } catch (error) {
    formStatus.textContent = '';
    report(error);
  } finally {
    submit.disabled = false;
  }
  await refresh();
});
imageSelect.addEventListener('change', limitMinutes);

async function main(): Promise<void> {
  try {
    const me = await api.me();
    byId('who').textContent = `Signed in as ${me.owner}${me.isAdmin ? ' (admin)' : ''}`;
    if (me.isAdmin) adminView = startAdminView(report, refresh);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      notify(
        'You are not signed in. Open the dashboard link printed by the server, or any lease link from the bot.',
      );
      return;
    }
    throw error;
  }
  byId('app').hidden = false;
  showImages(await api.images());
  await refresh();
  startCountdowns();
  setInterval(() => void refresh(), REFRESH_MS);
}

void main().catch(report);
