/**
 * A button that needs two clicks within a few seconds: the first arms it (and says so), the second
 * acts. Stopping a lease removes its container, so one stray click must not do it.
 */
export function armedButton(button: HTMLButtonElement, armedLabel: string, act: () => Promise<void>): void {
  const label = button.textContent ?? '';
  let disarm: ReturnType<typeof setTimeout> | undefined;
  button.addEventListener('click', async () => {
    if (disarm === undefined) {
      button.textContent = armedLabel;
      disarm = setTimeout(() => {
        button.textContent = label;
        disarm = undefined;
      }, 4_000);
      return;
    }
    clearTimeout(disarm);
    disarm = undefined;
    button.textContent = label;
    button.disabled = true;
    await act();
  });
}
