/** Type-checks and bundles the browser page (src/web/page) into `outDir`; see bundle-page.mjs. */
export function bundlePage(pageDir: string, outDir: string, options?: { typecheck?: boolean }): Promise<void>;
