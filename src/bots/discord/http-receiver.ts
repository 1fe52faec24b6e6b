import type { APIInteraction } from 'discord-api-types/v10';
import express, { type Express, type Request, type Response } from 'express';
import type { Logger } from '../../core/ports/logger.js';
import type { InteractionHandler } from './listeners/interaction-handler.js';
import { discordSignatureCheck } from './signature.js';

export const INTERACTIONS_PATH = '/discord/interactions';

export interface HttpReceiver {
  /** Mounts `POST /discord/interactions` on the shared app; call it before any body parser is registered. */
  readonly mount: (app: Express) => void;
}

/** Interactions are small; Discord's largest (a modal or a big autocomplete) stays far below this. */
const BODY_LIMIT = '256kb';

/**
 * POST /discord/interactions: Discord's HTTP alternative to the gateway. The signature is checked
 * on the raw bytes (so this route parses its own body and must be mounted before any JSON parser);
 * a bad one gets 401, which Discord probes for. The first response goes back in the HTTP body, the
 * rest as REST follow-ups. `track` lets the bot wait for work still running after the response.
 */
export function createHttpReceiver(options: {
  readonly publicKey: string;
  readonly handle: InteractionHandler;
  readonly logger: Logger;
  readonly track: (work: Promise<void>) => void;
}): HttpReceiver {
  const verified = discordSignatureCheck(options.publicKey);
  const mount = (app: Express) => {
    app.post(
      INTERACTIONS_PATH,
      express.raw({ type: () => true, limit: BODY_LIMIT }),
      (req: Request, res: Response) => {
        const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        if (!verified(req.get('X-Signature-Ed25519'), req.get('X-Signature-Timestamp'), body)) {
          res.status(401).json({ error: { code: 'unauthorized', message: 'invalid request signature' } });
          return;
        }
        const interaction = parseInteraction(body);
        if (!interaction) {
          res.status(400).json({ error: { code: 'validation', message: 'the body is not an interaction' } });
          return;
        }
        const work = options.handle(interaction, async (response) => {
          res.status(200).json(response);
        });
        options.track(
          work.catch((error: unknown) => {
            options.logger.error({ error: String(error) }, 'discord HTTP interaction failed');
            if (!res.headersSent)
              res.status(500).json({ error: { code: 'internal', message: 'interaction failed' } });
          }),
        );
      },
    );
  };
  return { mount };
}

function parseInteraction(body: Buffer): APIInteraction | undefined {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as Partial<APIInteraction> | null;
    return parsed &&
      typeof parsed.type === 'number' &&
      typeof parsed.id === 'string' &&
      typeof parsed.token === 'string'
      ? (parsed as APIInteraction)
      : undefined;
  } catch {
    return undefined;
  }
}
