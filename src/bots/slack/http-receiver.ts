import { type Logger as BoltLogger, ExpressReceiver } from '@slack/bolt';
import type { Application, NextFunction, Request, Response } from 'express';
import { Router } from 'express';
import type { Logger } from '../../core/ports/logger.js';

/** Where Slack posts slash commands and button clicks in HTTP mode (the manifest's request URLs). */
export const SLACK_EVENTS_PATH = '/slack/events';

export interface HttpReceiver {
  readonly receiver: ExpressReceiver;
  /** Mounts `POST /slack/events` on the shared app; call it before any body parser is registered. */
  readonly mount: (app: Application) => void;
}

/**
 * Bolt's ExpressReceiver on a router of its own, mounted on the web server's app. Bolt reads the raw
 * body itself to check `X-Slack-Signature` (401 when wrong or older than five minutes), so nothing
 * may parse the body before it.
 */
export function createHttpReceiver(signingSecret: string, logger: Logger, boltLog: BoltLogger): HttpReceiver {
  const receiver = new ExpressReceiver({
    signingSecret,
    logger: boltLog,
    endpoints: SLACK_EVENTS_PATH,
    router: Router(),
  });
  return {
    receiver,
    mount: (app) => {
      app.post(SLACK_EVENTS_PATH, refuseParsedBody(logger), exactFormContentType);
      app.use(receiver.router);
    },
  };
}

/** A body parser that ran first leaves nothing to verify: say so plainly instead of Bolt's 400. */
function refuseParsedBody(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.readableEnded && !(req as { rawBody?: unknown }).rawBody) {
      logger.error(
        { path: req.path },
        'a body parser consumed the Slack request before Bolt could verify it: mount Slack before body parsers',
      );
      res.status(500).end();
      return;
    }
    next();
  };
}

/**
 * Bolt parses a form only when the content type is exactly `application/x-www-form-urlencoded`;
 * with `; charset=utf-8` (sent by some proxies and clients) it would try JSON and answer 400.
 */
function exactFormContentType(req: Request, _res: Response, next: NextFunction): void {
  const type = req.headers['content-type'];
  if (type?.toLowerCase().startsWith('application/x-www-form-urlencoded;')) {
    req.headers['content-type'] = 'application/x-www-form-urlencoded';
  }
  next();
}
