import type { Kysely } from 'kysely';
import type { AdapterPayload } from 'oidc-provider';
import type { DB } from '../store/schema.js';
import type { SecretBox } from '../store/secret-box.js';
import { StoreAdapter } from './oidc-adapter.js';

const MODEL = 'IdJagIdentity';

/** The assertion a person last signed in with, from a trusted IdP the gateway is a client of. */
export interface KeptIdentity {
  idpId: string;
  assertion: string;
}

/**
 * Keeps a redeemed ID-JAG (sealed, in the store every node reads) until it expires, so the gateway
 * can chain from it to upstream MCP servers that trust the same IdP (outbound Enterprise-Managed
 * Authorization). One per person: the latest sign-in replaces the one before.
 */
export async function keepIdentity(db: Kysely<DB>, secrets: SecretBox, userId: string, kept: KeptIdentity, expiresAt: Date): Promise<void> {
  const seconds = Math.floor((expiresAt.getTime() - Date.now()) / 1000);
  if (seconds <= 0) return;
  const payload = { sealed: secrets.seal(JSON.stringify(kept)) } as unknown as AdapterPayload;
  await new StoreAdapter(db, MODEL).upsert(userId, payload, seconds);
}

/** The person's kept assertion while it lives; undefined once it has expired (or was never kept). */
export async function keptIdentity(db: Kysely<DB>, secrets: SecretBox, userId: string): Promise<KeptIdentity | undefined> {
  const payload = (await new StoreAdapter(db, MODEL).find(userId)) as { sealed?: unknown } | undefined;
  if (typeof payload?.sealed !== 'string') return undefined;
  return JSON.parse(secrets.open(payload.sealed)) as KeptIdentity;
}
