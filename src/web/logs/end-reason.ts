import { asCodedError } from '../../core/errors.js';
import type { Logger } from '../../core/ports/logger.js';
import type { Actor } from '../../core/services/access-policy.js';
import type { LeaseService } from '../../core/services/lease-service.js';
import type { EndReason } from './log-channel.js';
import { CLOSE_CODES } from './log-protocol.js';

/**
 * Why a container's log stream ended, as the close code the page acts on: the lease is gone or being
 * removed (4000, show the final logs), the container stopped (4001), or the stream broke (1011, reconnect).
 */
export function leaseEndReason(leases: LeaseService, logger: Logger) {
  return async (leaseId: string, actor: Actor, error: unknown): Promise<EndReason> => {
    try {
      const lease = await leases.get(actor, leaseId);
      if (lease.status === 'cleaning') return ended;
      if (lease.containerState !== 'running') {
        return { code: CLOSE_CODES.containerStopped, reason: `container ${lease.containerState}` };
      }
    } catch (lookup) {
      if (asCodedError(lookup).code === 'not_found') return ended;
    }
    if (error !== undefined) {
      logger.warn({ leaseId, error: asCodedError(error).message }, 'log stream failed');
    }
    return { code: CLOSE_CODES.streamFailed, reason: 'log stream interrupted; reconnect to resume' };
  };
}

const ended: EndReason = { code: CLOSE_CODES.leaseEnded, reason: 'lease ended' };
