import type { AuditEntryJson, LeaseJson, UsageJson, UsageRowJson } from '../api-types.js';
import { api } from './api.js';
import { updateCountdowns } from './countdown.js';
import { byId, el, notify } from './dom.js';
import { armedButton } from './stop-button.js';

/**
 * The dashboard's admin part, shown only to a viewer whose `/api/me` says `isAdmin` (the API
 * refuses these calls to anyone else anyway): every lease with a Stop that tells its owner why,
 * usage over 1, 7 or 30 days, and a lease's audit trail on demand.
 */
export interface AdminView {
  refresh(): Promise<void>;
}

const allRows = byId<HTMLTableSectionElement>('all-lease-rows');
const usageDays = byId<HTMLSelectElement>('usage-days');
const usageRows = byId<HTMLTableSectionElement>('usage-rows');
const auditForm = byId<HTMLFormElement>('audit-form');
const auditLease = byId<HTMLInputElement>('audit-lease');
const auditRows = byId<HTMLTableSectionElement>('audit-rows');

/** Shows the admin section; `report` shows a failed call, `changed` refreshes the whole page after a stop. */
export function startAdminView(report: (error: unknown) => void, changed: () => Promise<void>): AdminView {
  byId('admin').hidden = false;

  const leaseRow = (lease: LeaseJson): HTMLTableRowElement => {
    const reason = el('input', {
      type: 'text',
      placeholder: 'Reason',
      'aria-label': `Reason for stopping ${lease.id}`,
    });
    const stop = el('button', { type: 'button', class: 'danger' }, 'Stop');
    const trail = el('button', { type: 'button', class: 'secondary' }, 'Trail');
    armedButton(stop, 'Really stop?', async () => {
      try {
        await api.stop(lease.id, reason.value);
        notify(`Lease ${lease.id} stopped; ${lease.owner} is told why.`);
      } catch (error) {
        report(error);
        stop.disabled = false;
      }
      await changed();
    });
    trail.addEventListener('click', () => void showTrail(lease.id));
    return el(
      'tr',
      { 'data-lease-id': lease.id },
      el('td', {}, el('code', {}, lease.id)),
      el('td', {}, lease.owner),
      el('td', {}, lease.team),
      el('td', {}, lease.imageType),
      el('td', { class: 'countdown', 'data-expires-at': lease.expiryTime }),
      el('td', { class: 'actions' }, reason, stop, trail),
    );
  };

  const showTrail = async (leaseId: string): Promise<void> => {
    auditLease.value = leaseId;
    try {
      const entries = await api.audit(leaseId);
      auditRows.replaceChildren(...entries.map(auditRow));
      byId('audit').hidden = false;
    } catch (error) {
      report(error);
    }
  };

  const showUsage = async (): Promise<void> => {
    try {
      const usage = await api.usage(Number(usageDays.value));
      usageRows.replaceChildren(...usageTable(usage));
      byId('usage-total').textContent =
        `${usage.totalMinutes} lease-minutes${usage.partial ? ' (partial: the window holds more entries than one report reads)' : ''}`;
    } catch (error) {
      report(error);
    }
  };

  auditForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void showTrail(auditLease.value.trim());
  });
  usageDays.addEventListener('change', () => void showUsage());

  return {
    async refresh() {
      try {
        const leases = await api.listAll();
        allRows.replaceChildren(
          ...[...leases].sort((a, b) => a.createdAt.localeCompare(b.createdAt)).map(leaseRow),
        );
        updateCountdowns(allRows);
      } catch (error) {
        report(error);
      }
      await showUsage();
    },
  };
}

function usageTable(usage: UsageJson): HTMLTableRowElement[] {
  const rows = (by: string, list: readonly UsageRowJson[]) =>
    list.map((row) =>
      el(
        'tr',
        { 'data-usage': by },
        el('td', {}, by),
        el('td', {}, row.key),
        el('td', {}, String(row.minutes)),
        el('td', {}, String(row.leases)),
      ),
    );
  return [...rows('team', usage.byTeam), ...rows('owner', usage.byOwner), ...rows('image', usage.byImage)];
}

function auditRow(entry: AuditEntryJson): HTMLTableRowElement {
  const details = Object.entries(entry.params)
    .map(([name, value]) => `${name}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(', ');
  return el(
    'tr',
    {},
    el('td', {}, new Date(entry.at).toLocaleString()),
    el('td', {}, entry.action),
    el('td', {}, entry.actor),
    el('td', {}, details),
    el('td', {}, entry.outcome),
  );
}
