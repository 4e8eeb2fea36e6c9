import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a connect link binds: which person may connect which upstream server, until when. */
export interface ConnectTicket {
  /** The gateway user the link was made for. */
  sub: string;
  /** The upstream MCP server's id. */
  srv: string;
  /** Expiry, epoch seconds. */
  exp: number;
}

/** How long a connect link works. */
export const TICKET_TTL_SECONDS = 15 * 60;

/** Signs and checks connect tickets with an HMAC key every node derives alike (from the secret box). */
export class ConnectTickets {
  constructor(
    private readonly key: Buffer,
    private readonly now: () => number = Date.now,
  ) {}

  sign(sub: string, srv: string): string {
    const body = Buffer.from(JSON.stringify({ sub, srv, exp: Math.floor(this.now() / 1000) + TICKET_TTL_SECONDS })).toString('base64url');
    return `${body}.${this.#mac(body)}`;
  }

  /** The ticket, or null when it is forged, malformed or expired. */
  verify(ticket: string): ConnectTicket | null {
    const [body, mac] = ticket.split('.');
    if (!body || !mac) return null;
    const expected = Buffer.from(this.#mac(body));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    let parsed: Partial<ConnectTicket>;
    try {
      parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Partial<ConnectTicket>;
    } catch {
      return null;
    }
    if (typeof parsed.sub !== 'string' || typeof parsed.srv !== 'string' || typeof parsed.exp !== 'number') return null;
    if (parsed.exp * 1000 < this.now()) return null;
    return { sub: parsed.sub, srv: parsed.srv, exp: parsed.exp };
  }

  #mac(body: string): string {
    return createHmac('sha256', this.key).update(`gatehouse connect ticket\n${body}`).digest('base64url');
  }
}
