/** "1h 02m 05s left", "4m 09s left", or "expired". */
export function formatRemaining(ms: number): string {
  if (ms <= 0) return 'expired';
  const total = Math.floor(ms / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return hours > 0 ? `${hours}h ${pad(minutes)}m ${pad(seconds)}s left` : `${minutes}m ${pad(seconds)}s left`;
}

/**
 * Keeps every element with `data-expires-at` (an ISO time) showing the time left, once a second.
 * Elements can be added, removed or re-dated at any time.
 */
export function startCountdowns(root: ParentNode = document): void {
  updateCountdowns(root);
  setInterval(() => updateCountdowns(root), 1000);
}

/** Shows the time left now; call it after adding or re-dating an element. */
export function updateCountdowns(root: ParentNode = document): void {
  for (const element of root.querySelectorAll<HTMLElement>('[data-expires-at]')) {
    const expiresAt = Date.parse(element.dataset.expiresAt ?? '');
    if (Number.isNaN(expiresAt)) continue;
    const left = expiresAt - Date.now();
    element.textContent = formatRemaining(left);
    element.title = new Date(expiresAt).toLocaleString();
    element.classList.toggle('soon', left < 10 * 60_000);
  }
}
