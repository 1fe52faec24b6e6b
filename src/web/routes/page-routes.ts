import { join } from 'node:path';
import express, { type Response, type Router } from 'express';
import { ConfigError } from '../../core/errors.js';

/**
 * The browser pages: the dashboard at `/`, a lease's log viewer at `/logs/<id>` and its terminal at
 * `/terminal/<id>`, and their bundled
 * scripts and styles under `/static/`. The HTML is static; everything it shows comes from the API
 * and the log socket, so it needs no inline script and passes the content security policy.
 */
export function pageRoutes(staticDir: string): Router {
  const router = express.Router();
  router.use(
    '/static',
    express.static(staticDir, { index: false, fallthrough: true, cacheControl: true, maxAge: 0 }),
  );
  router.get('/', (_req, res, next) => sendPage(res, join(staticDir, 'index.html'), next));
  router.get('/logs/:id', (_req, res, next) => sendPage(res, join(staticDir, 'logs.html'), next));
  router.get('/terminal/:id', (_req, res, next) => sendPage(res, join(staticDir, 'terminal.html'), next));
  return router;
}

function sendPage(res: Response, path: string, next: (error?: unknown) => void): void {
  res.setHeader('Cache-Control', 'no-cache');
  res.sendFile(path, (error) => {
    if (error && !res.headersSent) {
      next(new ConfigError('The web page is not built; run npm run build.', { cause: error }));
    }
  });
}
