import type { Kysely } from 'kysely';
import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { DB, OidcPayloadTable } from '../store/schema.js';

/** One oidc-provider model (Session, Grant, AuthorizationCode, RefreshToken, …) stored in `oidc_payloads`. */
export class StoreAdapter implements Adapter {
  readonly #db: Kysely<DB>;
  readonly #model: string;

  constructor(db: Kysely<DB>, model: string) {
    this.#db = db;
    this.#model = model;
  }

  /** Creates or replaces a model instance; `expiresIn` is in seconds. */
  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    const row = {
      payload: JSON.stringify(payload),
      grant_id: payload.grantId ?? null,
      uid: payload.uid ?? null,
      user_code: payload.userCode ?? null,
      expires_at: expiresIn ? new Date(Date.now() + expiresIn * 1000).toISOString() : null,
    };
    await this.#db
      .insertInto('oidc_payloads')
      .values({ model: this.#model, id, consumed_at: null, ...row })
      .onConflict((oc) => oc.columns(['model', 'id']).doUpdateSet(row))
      .execute();
  }

  /** Loads a live instance by id. */
  async find(id: string): Promise<AdapterPayload | undefined> {
    return this.#first('id', id);
  }

  /** Loads a live DeviceCode by the code the user typed. */
  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return this.#first('user_code', userCode);
  }

  /** Loads a live Session by its stable uid. */
  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return this.#first('uid', uid);
  }

  /** Marks a one-time artefact (authorization code, rotated refresh token) as used. */
  async consume(id: string): Promise<void> {
    await this.#db.updateTable('oidc_payloads').set({ consumed_at: new Date().toISOString() }).where('model', '=', this.#model).where('id', '=', id).execute();
  }

  /** Deletes one instance. */
  async destroy(id: string): Promise<void> {
    await this.#db.deleteFrom('oidc_payloads').where('model', '=', this.#model).where('id', '=', id).execute();
  }

  /** Deletes every artefact of a grant, across models: revoking a grant revokes all its tokens. */
  async revokeByGrantId(grantId: string): Promise<void> {
    await this.#db.deleteFrom('oidc_payloads').where('grant_id', '=', grantId).execute();
  }

  async #first(column: 'id' | 'uid' | 'user_code', value: string): Promise<AdapterPayload | undefined> {
    const row = await this.#db.selectFrom('oidc_payloads').selectAll().where('model', '=', this.#model).where(column, '=', value).executeTakeFirst();
    return row ? live(row) : undefined;
  }
}

// Expiry is compared in JS rather than SQL so the same code runs on SQLite and PostgreSQL;
// expired rows are left for a sweeper (`deleteExpiredPayloads`).
function live(row: OidcPayloadTable): AdapterPayload | undefined {
  if (row.expires_at !== null && Date.parse(row.expires_at) <= Date.now()) return undefined;
  const payload = JSON.parse(row.payload) as AdapterPayload;
  return row.consumed_at === null ? payload : { ...payload, consumed: row.consumed_at };
}

/** Removes expired OAuth state; safe to call from any node at any time. */
export async function deleteExpiredPayloads(db: Kysely<DB>, now = new Date()): Promise<number> {
  const result = await db.deleteFrom('oidc_payloads').where('expires_at', '<', now.toISOString()).executeTakeFirst();
  return Number(result.numDeletedRows);
}
