/** The element with `id`; the pages are static, so a missing one is a bug worth failing loudly on. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing from the page`);
  return element as T;
}

/** A new element with attributes and text or children; text is never parsed as HTML. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  ...children: Array<Node | string>
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

/** Shows a message in the page's notice line, or hides it with `undefined`. */
export function notify(message: string | undefined, kind: 'info' | 'error' = 'info'): void {
  const notice = byId('notice');
  notice.hidden = message === undefined;
  notice.textContent = message ?? '';
  notice.classList.toggle('error', kind === 'error');
}

/** Saves `text` as a file named `filename`, as a download of the browser's. */
export function download(filename: string, text: string): void {
  const link = Object.assign(document.createElement('a'), {
    href: URL.createObjectURL(new Blob([text], { type: 'text/plain' })),
    download: filename,
  });
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}
