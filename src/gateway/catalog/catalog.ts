import type { Collection, Endpoint } from '../../core/index.js';
import type { EndpointSummary } from '../snapshot/endpoint-docs.js';
import type { CompiledProfile, CompiledProxy, Snapshot } from '../snapshot/types.js';
import type { Contract } from './contract.js';
import { indexDoc, SearchIndex } from './search.js';

/** One endpoint as the catalog shows it: its full path under the proxy, its listing fields, and (expanded on use) its document and contract. */
export interface CatalogEndpoint {
  readonly index: number;
  readonly id: string;
  readonly method: string;
  /** The path a caller uses: proxy base path + endpoint path template. */
  readonly path: string;
  /** Summary, description, tags: what listing and search need, without the schemas. */
  readonly info: EndpointSummary;
  /** The full document, schemas expanded (cached per snapshot, least recently used dropped first). */
  doc(): Endpoint;
  readonly proxy: CompiledProxy;
  readonly collection: Collection;
  contract(): Contract;
  /** The document and contract for one reading (inspect_contract): the cached ones, or built without filling the caches calls use. */
  read(): { doc: Endpoint; contract: Contract };
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

/** The path a caller uses for an endpoint: its proxy's base path and its own template (the management plane lists it alike). */
export function catalogPath(basePath: string, path: string): string {
  return path === '/' ? basePath : basePath + path;
}

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

  constructor(readonly snapshot: Snapshot) {
    const docs = snapshot.endpointDocs;
    const endpointDocs: Array<EndpointSummary & { id: string }> = [];
    for (const id of docs.ids()) endpointDocs.push({ ...docs.summary(id)!, id });
    const proxiesById = new Map<string, CompiledProxy>();
    for (const p of snapshot.proxies.values()) proxiesById.set(p.proxy.id, p);
    const grouped = new Map<string, CatalogEndpoint[]>();
    const rank = (m: string) => METHOD_ORDER.indexOf(m);
    const sorted = endpointDocs
      .map((doc) => ({ doc, proxy: proxiesById.get(doc.proxyId) }))
      .sort(
        (a, b) => cmp(a.proxy?.proxy.basePath ?? '', b.proxy?.proxy.basePath ?? '') || cmp(a.doc.path, b.doc.path) || rank(a.doc.method) - rank(b.doc.method),
      );
    for (const { doc, proxy } of sorted) {
      if (!proxy?.collection.published || !doc.mcpExposed) continue;
      const ep: CatalogEndpoint = {
        index: this.endpoints.length,
        id: doc.id,
        method: doc.method,
        path: catalogPath(proxy.proxy.basePath, doc.path),
        info: doc,
        doc: () => docs.get(doc.id)!,
        proxy,
        collection: proxy.collection,
        contract: () => docs.contract(doc.id)!,
        read: () => docs.read(doc.id)!,
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
          summary: ep.info.summary,
          operationId: ep.info.operationId,
          path: ep.path,
          tags: ep.info.tags as string[] | undefined,
          description: ep.info.description,
          collection: ep.collection.name,
        }),
      ),
    );
  }

  /** The view of a caller (its profile, or null for an anonymous caller), computed once per profile per snapshot. */
  view(profile: CompiledProfile | null): CatalogView {
    const key = profile ? profile.profile.id : '';
    let view = this.#views.get(key);
    if (!view) {
      view = this.#buildView(profile);
      if (this.#views.size >= MAX_VIEWS) this.#views.clear();
      this.#views.set(key, view);
    }
    return view;
  }

  #buildView(p: CompiledProfile | null): CatalogView {
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

const catalogs = new WeakMap<Snapshot, Catalog>();

/** The catalog of a snapshot: built on first use, then shared by every request until the config changes. */
export function catalogOf(snapshot: Snapshot): Catalog {
  let catalog = catalogs.get(snapshot);
  if (catalog === undefined) {
    catalog = new Catalog(snapshot);
    catalogs.set(snapshot, catalog);
  }
  return catalog;
}
