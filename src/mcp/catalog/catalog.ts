import type { Kysely } from 'kysely';
import { type Collection, Endpoint } from '../../core/index.js';
import type { SnapshotHolder } from '../../gateway/snapshot/holder.js';
import type { CompiledProxy, Snapshot } from '../../gateway/snapshot/types.js';
import type { DB } from '../../store/schema.js';
import type { Contract } from './contract.js';
import type { McpCaller } from './identify.js';
import { indexDoc, SearchIndex } from './search.js';

/** One endpoint as the catalog shows it: its full path under the proxy, with search terms and (lazily) its compiled contract. */
export interface CatalogEndpoint {
  readonly index: number;
  readonly id: string;
  readonly method: string;
  /** The path a caller uses: proxy base path + endpoint path template. */
  readonly path: string;
  readonly doc: Endpoint;
  readonly proxy: CompiledProxy;
  readonly collection: Collection;
  contract?: Contract;
}

export interface CatalogCollection {
  readonly collection: Collection;
  readonly endpoints: readonly CatalogEndpoint[];
}

/** What one caller (profile, or anonymous) may see: visible collections and their MCP-exposed, allowed endpoints. */
export interface CatalogView {
  readonly collections: ReadonlyArray<{ collection: Collection; endpoints: readonly CatalogEndpoint[] }>;
  readonly byCollection: ReadonlyMap<string, { collection: Collection; endpoints: readonly CatalogEndpoint[] }>;
  readonly visible: Uint8Array;
  /** Prebuilt `list_collections` result. */
  readonly collectionList: ReadonlyArray<{ slug: string; name: string; description: string; endpointCount: number }>;
}

const MAX_VIEWS = 10_000;
const METHOD_ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The published catalog of one config snapshot: built once, shared by every MCP request until the config changes. */
export class Catalog {
  readonly endpoints: CatalogEndpoint[] = [];
  readonly byId = new Map<string, CatalogEndpoint>();
  readonly byRoute = new Map<string, CatalogEndpoint>();
  readonly collections = new Map<string, CatalogCollection>();
  readonly search: SearchIndex;
  readonly #views = new Map<string, CatalogView>();

  constructor(
    readonly snapshot: Snapshot,
    endpointDocs: readonly Endpoint[],
  ) {
    const proxiesById = new Map<string, CompiledProxy>();
    for (const p of snapshot.proxies.values()) proxiesById.set(p.proxy.id, p);
    const grouped = new Map<string, CatalogEndpoint[]>();
    const rank = (m: string) => METHOD_ORDER.indexOf(m);
    const sorted = endpointDocs
      .map((doc) => ({ doc, proxy: proxiesById.get(doc.proxyId) }))
      .sort(
        (a, b) =>
          cmp(a.proxy?.proxy.basePath ?? '', b.proxy?.proxy.basePath ?? '') || cmp(a.doc.path, b.doc.path) || rank(a.doc.method) - rank(b.doc.method),
      );
    for (const { doc, proxy } of sorted) {
      if (!proxy?.collection.published || !doc.mcpExposed) continue;
      const ep: CatalogEndpoint = {
        index: this.endpoints.length,
        id: doc.id,
        method: doc.method,
        path: doc.path === '/' ? proxy.proxy.basePath : proxy.proxy.basePath + doc.path,
        doc,
        proxy,
        collection: proxy.collection,
      };
      this.endpoints.push(ep);
      this.byId.set(ep.id, ep);
      this.byRoute.set(`${ep.method} ${ep.path}`, ep);
      const list = grouped.get(proxy.collection.id);
      if (list) list.push(ep);
      else grouped.set(proxy.collection.id, [ep]);
    }
    for (const c of snapshot.collections.values()) {
      if (c.published) this.collections.set(c.id, { collection: c, endpoints: grouped.get(c.id) ?? [] });
    }
    this.search = new SearchIndex(
      this.endpoints.map((ep) =>
        indexDoc({
          method: ep.method,
          summary: ep.doc.summary,
          operationId: ep.doc.operationId,
          path: ep.path,
          tags: ep.doc.tags,
          description: ep.doc.description,
          collection: ep.collection.name,
        }),
      ),
    );
  }

  /** The caller's view, computed once per profile per snapshot. */
  view(caller: McpCaller): CatalogView {
    const key = caller.profile ? caller.profile.profile.id : '';
    let view = this.#views.get(key);
    if (!view) {
      view = this.#buildView(caller);
      if (this.#views.size >= MAX_VIEWS) this.#views.clear();
      this.#views.set(key, view);
    }
    return view;
  }

  #buildView(caller: McpCaller): CatalogView {
    const p = caller.profile;
    // `none` profiles and anonymous callers reach only collections open to anonymous callers, as on REST.
    const anonymousOnly = p === null || p.profile.authType === 'none';
    const visible = new Uint8Array(this.endpoints.length);
    const collections: Array<{ collection: Collection; endpoints: CatalogEndpoint[] }> = [];
    for (const entry of this.collections.values()) {
      const c = entry.collection;
      if (anonymousOnly && !c.allowAnonymous) continue;
      if (p && !p.collections.has(c.id)) continue;
      const endpoints = p ? entry.endpoints.filter((ep) => p.methods.has(ep.method) || (ep.method === 'HEAD' && p.methods.has('GET'))) : [...entry.endpoints];
      for (const ep of endpoints) visible[ep.index] = 1;
      collections.push({ collection: c, endpoints });
    }
    return {
      collections,
      byCollection: new Map(collections.flatMap((e) => [[e.collection.id, e] as const, [e.collection.slug, e] as const])),
      visible,
      collectionList: collections.map((e) => ({
        slug: e.collection.slug,
        name: e.collection.name,
        description: e.collection.description,
        endpointCount: e.endpoints.length,
      })),
    };
  }

  /** An endpoint by id or `METHOD /path`, only when the view admits it. */
  find(view: CatalogView, ref: string): CatalogEndpoint | undefined {
    const trimmed = ref.trim();
    let ep = this.byId.get(trimmed);
    if (!ep) {
      const space = trimmed.indexOf(' ');
      if (space > 0) ep = this.byRoute.get(`${trimmed.slice(0, space).toUpperCase()} ${trimmed.slice(space + 1).trim()}`);
    }
    return ep && view.visible[ep.index] === 1 ? ep : undefined;
  }

  /** Whether any published collection admits anonymous callers (so a request without a credential is worth serving). */
  get anonymousAllowed(): boolean {
    for (const c of this.collections.values()) if (c.collection.allowAnonymous) return true;
    return false;
  }
}

/** Keeps the catalog in step with the live snapshot: rebuilt (endpoint documents read once) when the config changes. */
export class CatalogSource {
  #catalog: Catalog | null = null;
  #building: { snapshot: Snapshot; promise: Promise<Catalog> } | null = null;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly snapshots: SnapshotHolder,
    private readonly onInvalid: (id: string, reason: string) => void = () => {},
  ) {}

  /** The catalog of the live snapshot, when it is already built. */
  ready(): Catalog | null {
    const c = this.#catalog;
    return c && c.snapshot === this.snapshots.current() ? c : null;
  }

  current(): Promise<Catalog> {
    const snapshot = this.snapshots.current();
    if (this.#catalog?.snapshot === snapshot) return Promise.resolve(this.#catalog);
    if (this.#building?.snapshot === snapshot) return this.#building.promise;
    const promise = this.#build(snapshot).then(
      (catalog) => {
        if (this.#building?.snapshot === snapshot) this.#building = null;
        if (this.snapshots.current() === snapshot || !this.#catalog) this.#catalog = catalog;
        return catalog;
      },
      (err: unknown) => {
        if (this.#building?.snapshot === snapshot) this.#building = null;
        throw err;
      },
    );
    this.#building = { snapshot, promise };
    return promise;
  }

  async #build(snapshot: Snapshot): Promise<Catalog> {
    const rows = await this.db
      .selectFrom('resources')
      .select(['id', 'data', 'version', 'created_at', 'updated_at'])
      .where('type', '=', 'endpoints')
      .execute();
    const docs: Endpoint[] = [];
    for (const row of rows) {
      try {
        const parsed = Endpoint.safeParse({ ...JSON.parse(row.data), id: row.id, version: row.version, createdAt: row.created_at, updatedAt: row.updated_at });
        if (parsed.success) docs.push(parsed.data);
        else this.onInvalid(row.id, parsed.error.message);
      } catch {
        this.onInvalid(row.id, 'data is not JSON');
      }
    }
    return new Catalog(snapshot, docs);
  }
}
