import { randomUUID } from 'node:crypto';
import type { TerminalTickets, TicketGrant } from '../../src/core/ports/terminal-tickets.js';

/** Terminal tickets in memory, each good once until its TTL by the given clock, as Redis keeps them. */
export class InMemoryTerminalTickets implements TerminalTickets {
  private readonly tickets = new Map<string, { grant: TicketGrant; expiresAt: number }>();

  constructor(private readonly now: () => number) {}

  async issue(grant: TicketGrant, ttlMs: number): Promise<string> {
    const ticket = randomUUID();
    this.tickets.set(ticket, { grant: { ...grant }, expiresAt: this.now() + ttlMs });
    return ticket;
  }

  async redeem(ticket: string): Promise<TicketGrant | null> {
    const held = this.tickets.get(ticket);
    this.tickets.delete(ticket);
    return held && held.expiresAt > this.now() ? held.grant : null;
  }
}
