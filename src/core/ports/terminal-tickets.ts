/** Whom a terminal ticket lets in, and where. */
export interface TicketGrant {
  readonly leaseId: string;
  readonly owner: string;
}

/**
 * Single-use tickets for the terminal socket, so that no long-lived token ever goes in a WebSocket
 * URL: a script trades its API token for a ticket and opens the socket with it within seconds.
 */
export interface TerminalTickets {
  /** @returns the ticket, valid for `ttlMs` */
  issue(grant: TicketGrant, ttlMs: number): Promise<string>;
  /** The ticket's grant, once: null when it is unknown, used already or expired. */
  redeem(ticket: string): Promise<TicketGrant | null>;
}
