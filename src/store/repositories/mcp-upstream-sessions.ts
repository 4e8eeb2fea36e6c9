import type { Kysely } from 'kysely';
import type { UpstreamSessionBinding, UpstreamSessionKey, UpstreamSessionStore } from '../../core/index.js';
import type { DB } from '../schema.js';
import type { SecretBox } from '../secret-box.js';

/**
 * Federation's upstream sessions in the store, shared by every node of a cluster. Session ids are
 * sealed (with one, a caller that also holds the upstream credential could act in that session).
 * A binding is written once per key (the first node to open a session wins); bindings of an
 * upstream's older versions go when a newer one is recorded.
 */
export function storeUpstreamSessions(db: Kysely<DB>, secrets: SecretBox): UpstreamSessionStore {
  const read = async (key: string): Promise<(UpstreamSessionBinding & { sealed: string }) | null> => {
    const row = await db.selectFrom('mcp_upstream_sessions').select(['session', 'protocol_version']).where('key', '=', key).executeTakeFirst();
    if (!row) return null;
    try {
      return { sessionId: secrets.open(row.session), protocolVersion: row.protocol_version, sealed: row.session };
    } catch {
      // Sealed under another key: of no use to anyone, so it goes (the caller opens a new session).
      await db.deleteFrom('mcp_upstream_sessions').where('key', '=', key).where('session', '=', row.session).execute();
      return null;
    }
  };
  return {
    async get(key) {
      const found = await read(key);
      return found ? { sessionId: found.sessionId, protocolVersion: found.protocolVersion } : null;
    },
    async putOnce(at: UpstreamSessionKey, binding) {
      await db.deleteFrom('mcp_upstream_sessions').where('upstream_id', '=', at.upstreamId).where('upstream_version', '<', at.upstreamVersion).execute();
      await db
        .insertInto('mcp_upstream_sessions')
        .values({
          key: at.key,
          upstream_id: at.upstreamId,
          upstream_version: at.upstreamVersion,
          session: secrets.seal(binding.sessionId),
          protocol_version: binding.protocolVersion,
          created_at: new Date().toISOString(),
        })
        .onConflict((oc) => oc.column('key').doNothing())
        .execute();
      const held = await read(at.key);
      return held ? { sessionId: held.sessionId, protocolVersion: held.protocolVersion } : binding;
    },
    async forget(key, sessionId) {
      const found = await read(key);
      // Sealing is randomized: the row is matched by the sealed text read back, not by sealing again.
      if (found?.sessionId === sessionId) await db.deleteFrom('mcp_upstream_sessions').where('key', '=', key).where('session', '=', found.sealed).execute();
    },
  };
}
