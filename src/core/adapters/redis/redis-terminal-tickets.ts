import { createHash, randomBytes } from 'node:crypto';
import type { TerminalTickets, TicketGrant } from '../../ports/terminal-tickets.js';
import type { RedisKeys } from './keys.js';
import type { RedisClient } from './redis-connection.js';
import { storeCall } from './redis-connection.js';

/**
 * Tickets as keys with a TTL, named by the ticket's SHA-256 (whoever reads Redis cannot open a
 * terminal with what they find), taken with GETDEL so that a ticket is good exactly once, on
 * whichever instance it is redeemed.
 */
export class RedisTerminalTickets implements TerminalTickets {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  issue(grant: TicketGrant, ttlMs: number): Promise<string> {
    const ticket = randomBytes(24).toString('base64url');
    const value = JSON.stringify({ leaseId: grant.leaseId, owner: grant.owner });
    return storeCall(this.redis, async () => {
      await this.redis.set(this.keys.ticket(digest(ticket)), value, 'PX', ttlMs);
      return ticket;
    });
  }

  redeem(ticket: string): Promise<TicketGrant | null> {
    if (!/^[A-Za-z0-9_-]{32}$/.test(ticket)) return Promise.resolve(null);
    return storeCall(this.redis, async () => {
      const value = await this.redis.getdel(this.keys.ticket(digest(ticket)));
      // Stryker disable next-line ConditionalExpression: JSON.parse(null) is null as well
      return value === null ? null : (JSON.parse(value) as TicketGrant);
    });
  }
}

function digest(ticket: string): string {
  return createHash('sha256').update(ticket).digest('hex');
}
