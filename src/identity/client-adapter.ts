import type { Kysely } from 'kysely';
import { type Adapter, type AdapterPayload, errors } from 'oidc-provider';
import type { DB } from '../store/schema.js';
import type { SecretBox } from '../store/secret-box.js';
import { isMetadataDocumentUrl, type MetadataDocumentClients } from './cimd-clients.js';
import { DocumentFetchError } from './cimd-fetch.js';
import { serviceAccountClient } from './clients.js';
import { StoreAdapter } from './oidc-adapter.js';

/**
 * oidc-provider's `Client` model. A client id is, in order: a Client ID Metadata Document URL
 * (fetched, never stored), a service account (read fresh so a deleted account stops at once), or a
 * dynamically registered client (stored in `oidc_payloads`, without expiry).
 */
export class ClientAdapter implements Adapter {
  readonly #db: Kysely<DB>;
  readonly #secrets: SecretBox;
  readonly #registered: StoreAdapter;
  readonly #documents: MetadataDocumentClients | undefined;
  readonly #allowPrivateHosts: boolean;
  readonly #accounts: { jwtBearer: boolean };

  /** `jwtBearer`: service accounts may use the JWT bearer grant (the server registered it, for ID-JAGs). */
  constructor(
    db: Kysely<DB>,
    secrets: SecretBox,
    documents?: { clients: MetadataDocumentClients; allowPrivateHosts: boolean },
    accounts: { jwtBearer: boolean } = { jwtBearer: false },
  ) {
    this.#accounts = accounts;
    this.#db = db;
    this.#secrets = secrets;
    this.#registered = new StoreAdapter(db, 'Client');
    this.#documents = documents?.clients;
    this.#allowPrivateHosts = documents?.allowPrivateHosts ?? false;
  }

  /** Looks the client up: metadata document, service account, then registered client. */
  async find(id: string): Promise<AdapterPayload | undefined> {
    if (this.#documents && isMetadataDocumentUrl(id, this.#allowPrivateHosts)) {
      try {
        return await this.#documents.resolve(id);
      } catch (err) {
        if (err instanceof DocumentFetchError) throw new errors.InvalidClient(`the client metadata document was refused: ${err.message}`);
        throw err;
      }
    }
    return (await serviceAccountClient(this.#db, this.#secrets, id, this.#accounts)) ?? (await this.#registered.find(id));
  }

  /** Stores a registered client; registered clients do not expire, whatever oidc-provider passes. */
  async upsert(id: string, payload: AdapterPayload): Promise<void> {
    if (id.includes('://') || (await serviceAccountClient(this.#db, this.#secrets, id))) {
      throw new Error('this client id cannot be registered');
    }
    await this.#registered.upsert(id, payload);
  }

  /** Deletes a registered client (RFC 7592 DELETE). */
  async destroy(id: string): Promise<void> {
    await this.#registered.destroy(id);
  }

  /** Clients have no user codes. */
  async findByUserCode(): Promise<undefined> {
    return undefined;
  }

  /** Clients have no uids. */
  async findByUid(): Promise<undefined> {
    return undefined;
  }

  /** Clients are never consumed. */
  async consume(): Promise<void> {}

  /** Clients belong to no grant. */
  async revokeByGrantId(): Promise<void> {}
}
