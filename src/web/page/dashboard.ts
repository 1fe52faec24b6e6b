import type { ImageJson, LeaseJson } from '../api-types.js';
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
const formStatus = byId('form-status');
const rows = byId<HTMLTableSectionElement>('lease-rows');

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
    const lease = await api.provision(imageSelect.value, Number(minutesInput.value));
    formStatus.textContent = `Lease ${lease.id} is ready.`;
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
