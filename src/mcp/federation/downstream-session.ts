import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import type { RelayCapabilities } from '../../gateway/federation/index.js';
import { isPlain } from '../kit/protocol.js';

/**
 * What a 2025-era caller negotiated at `initialize`, carried in its `Mcp-Session-Id`: who it is, at
 * which virtual server, and which server-to-client requests it can answer. The id is sealed
 * (AES-256-GCM): any node reads it without a shared session table (the downstream stays stateless),
 * and nobody else can read or alter it — a session id travels in headers and logs, and who the
 * caller is and what it declared are not theirs to see.
 */
export interface DownstreamSession {
  /** The caller (the token's subject, `user:<id>` or `service:<id>`): an id is good only for them. */
  sub: string;
  slug: string;
  caps: RelayCapabilities;
  /** Expiry, epoch seconds; the caller then gets 404 and initializes again, as the transport specification says. */
  exp: number;
}

const TTL_SECONDS = 24 * 3600;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The relayable capabilities a client declared in its `initialize` (or a 2026-07-28 request's `_meta`). */
export function declaredCapabilities(capabilities: unknown): RelayCapabilities {
  if (!isPlain(capabilities)) return {};
  const elicitation = capabilities.elicitation;
  return {
    ...(isPlain(capabilities.sampling) ? { sampling: true } : {}),
    ...(isPlain(elicitation) ? { elicitation: true, ...(isPlain(elicitation.url) ? { urlElicitation: true } : {}) } : {}),
    ...(isPlain(capabilities.roots) ? { roots: true } : {}),
  };
}

/** Ended sessions one node remembers (until they would have expired anyway). */
const MAX_ENDED = 10_000;
/** Verified session ids one node keeps, oldest dropped first. */
const MAX_KNOWN = 10_000;

/**
 * Seals and reads downstream session ids with a key every node derives alike (from the secret box). A session a caller ends (`DELETE`) is refused from then on by the node that ended it; other
 * nodes keep accepting it until it expires (there is no table of sessions to strike it from).
 */
export class DownstreamSessions {
  readonly #ended = new Map<string, number>();
  /** Ids read lately: a session's every request carries its id, and checking the MAC each time is the costly part. */
  readonly #known = new Map<string, DownstreamSession>();
  readonly #key: Buffer;

  constructor(
    key: Buffer,
    private readonly now: () => number = Date.now,
  ) {
    // A key of its own for this use, whatever the length of the one given.
    this.#key = createHmac('sha256', key).update('gatehouse virtual mcp session').digest();
  }

  /** A new session id: visible ASCII (base64url), as the transport specification requires. */
  issue(sub: string, slug: string, caps: RelayCapabilities): string {
    const session: DownstreamSession = { sub, slug, caps, exp: Math.floor(this.now() / 1000) + TTL_SECONDS };
    // A random nonce per id: two sessions of one caller never share an id.
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const sealed = Buffer.concat([cipher.update(JSON.stringify(session), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString('base64url');
  }

  /** Ends a session (on this node). */
  end(id: string, session: DownstreamSession): void {
    const now = this.now() / 1000;
    for (const [ended, exp] of this.#ended) if (exp < now || this.#ended.size >= MAX_ENDED) this.#ended.delete(ended);
    this.#ended.set(id, session.exp);
    this.#known.delete(id);
  }

  /** The session, or null when the id is forged, malformed, expired, ended, or another caller's or server's. */
  read(id: string, sub: string, slug: string): DownstreamSession | null {
    if (id.length > 1024 || this.#ended.has(id)) return null;
    const known = this.#known.get(id);
    if (known) return known.sub === sub && known.slug === slug && known.exp * 1000 >= this.now() ? known : null;
    let parsed: Partial<DownstreamSession>;
    try {
      parsed = JSON.parse(this.#open(id)) as Partial<DownstreamSession>;
    } catch {
      // Not base64url, too short, altered, sealed with another key, or not JSON.
      return null;
    }
    if (typeof parsed.sub !== 'string' || typeof parsed.slug !== 'string' || typeof parsed.exp !== 'number') return null;
    const session: DownstreamSession = { sub: parsed.sub, slug: parsed.slug, caps: declaredCapabilities(capsAsDeclared(parsed.caps)), exp: parsed.exp };
    if (this.#known.size >= MAX_KNOWN) this.#known.delete(this.#known.keys().next().value as string);
    this.#known.set(id, session);
    return session.sub === sub && session.slug === slug && session.exp * 1000 >= this.now() ? session : null;
  }

  /** The sealed text of an id; throws when it was not sealed with this key, or was altered. */
  #open(id: string): string {
    const raw = Buffer.from(id, 'base64url');
    // Only the canonical spelling: Node's decoder skips stray characters, and an ended id spelled
    // another way would otherwise pass the ended list.
    if (raw.length < IV_BYTES + TAG_BYTES + 2 || raw.toString('base64url') !== id) throw new Error('not a session id');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, raw.subarray(0, IV_BYTES));
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString('utf8');
  }
}

/** Stored capabilities back in the shape a client declares them (so one reader checks both). */
function capsAsDeclared(caps: unknown): unknown {
  if (!isPlain(caps)) return {};
  return {
    ...(caps.sampling === true ? { sampling: {} } : {}),
    ...(caps.elicitation === true ? { elicitation: caps.urlElicitation === true ? { url: {} } : {} } : {}),
    ...(caps.roots === true ? { roots: {} } : {}),
  };
}
