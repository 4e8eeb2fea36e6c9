import type { z } from 'zod';
import {
  BackendCredential,
  Client,
  Collection,
  Endpoint,
  McpGrant,
  McpServer,
  Policy,
  Profile,
  ApiProxy as ProxySchema,
  RoleBinding,
  VirtualMcp,
  Workflow,
  type WorkflowRef,
} from '../../core/index.js';
import { compileEndpointTable, type EndpointTable } from '../routing/router.js';
import type { BackendAuth } from '../credentials/types.js';
import { tlsPlan } from '../credentials/tls-plan.js';
import { BucketedMap } from './bucketed-map.js';
import { McpPart } from './compile-mcp.js';
import { backendAuthOf, compileProfile, type InvalidRowHandler, type OpenSecret, proxyWorkflows, workflowDefinitions } from './compile-parts.js';
import { EndpointDocs } from './endpoint-docs.js';
import type { ResourceRow } from './load.js';
import type { ResolveProfile } from './token-index.js';
import type { CertificateIndex, CompiledProfile, CompiledProxy, Snapshot, WorkflowDefinitions } from './types.js';

const SCHEMAS = {
  'backend-credentials': BackendCredential,
  collections: Collection,
  proxies: ProxySchema,
  endpoints: Endpoint,
  policies: Policy,
  clients: Client,
  profiles: Profile,
  workflows: Workflow,
  'mcp-servers': McpServer,
  'virtual-mcps': VirtualMcp,
  'mcp-grants': McpGrant,
  'role-bindings': RoleBinding,
} as const;
type Kind = keyof typeof SCHEMAS;
type Parsed<K extends Kind> = z.infer<(typeof SCHEMAS)[K]>;

/**
 * What the compiler keeps of an endpoint: what its proxy's route table and workflow overrides are
 * built from. The document itself (schemas, descriptions: ~3 KB each for an estate of 5,000
 * operations, 15 MB in all) stays a stored row that EndpointDocs parses on demand.
 */
type RoutedEndpoint = Pick<Endpoint, 'id' | 'proxyId' | 'method' | 'path' | 'workflowId' | 'workflowVersion' | 'workflowDisabled'>;
/** Parsed rows as the compiler holds them: endpoints reduced to their routing fields. */
type Held<K extends Kind> = K extends 'endpoints' ? RoutedEndpoint : Parsed<K>;

function routed(ep: Endpoint): RoutedEndpoint {
  const { id, proxyId, method, path, workflowId, workflowVersion, workflowDisabled } = ep;
  return { id, proxyId, method, path, workflowId, workflowVersion, workflowDisabled };
}

/** Everything a snapshot holds but its token index and approvals. */
export type SnapshotConfig = Omit<Snapshot, 'tokens' | 'builtAt' | 'approvals'>;

/** One stored resource as it now is: its row, or null once it is gone. */
export interface ResourceChange {
  readonly type: string;
  readonly id: string;
  readonly row: ResourceRow | null;
}

/** What one commit recompiled, for the parts kept outside the config (the token index re-resolves these profiles' slots). */
export interface Commit {
  readonly config: SnapshotConfig;
  readonly profiles: ReadonlySet<string>;
}

/** A summary of one type's rows: the store's and the compiled state's agree when nothing of that type changed. */
export interface TypeSignature {
  count: number;
  versions: number;
  /** The newest `updated_at` (ISO text compares in time order). */
  newest: string;
}

/** Which stored ids of each kind changed since the last commit. */
type Dirty = Record<Kind | 'workflow-versions' | 'secrets', Set<string>>;

const emptyDirty = (): Dirty => ({
  'backend-credentials': new Set(),
  collections: new Set(),
  proxies: new Set(),
  endpoints: new Set(),
  policies: new Set(),
  clients: new Set(),
  profiles: new Set(),
  workflows: new Set(),
  'mcp-servers': new Set(),
  'virtual-mcps': new Set(),
  'mcp-grants': new Set(),
  'role-bindings': new Set(),
  'workflow-versions': new Set(),
  secrets: new Set(),
});

function addTo<K, V>(index: Map<K, Set<V>>, key: K, value: V): void {
  const set = index.get(key);
  if (set) set.add(value);
  else index.set(key, new Set([value]));
}

function removeFrom<K, V>(index: Map<K, Set<V>>, key: K, value: V): void {
  const set = index.get(key);
  if (!set) return;
  set.delete(value);
  if (set.size === 0) index.delete(key);
}

/** Whether a profile appears in the issuer or certificate index. */
function indexable(p: CompiledProfile | undefined): p is CompiledProfile {
  return p !== undefined && (p.mtls !== null || ((p.profile.authType === 'jwt' || p.profile.authType === 'oidc') && p.profile.jwt !== undefined));
}

// A map copied at once holds the event loop ~1 ms per 10,000 entries, more with the garbage it makes.
const COPY_SLICE = 10_000;

/** A copy of a map, made COPY_SLICE entries at a time with a turn of the event loop in between. */
async function copyInSlices<V>(map: ReadonlyMap<string, V>): Promise<Map<string, V>> {
  if (map.size <= COPY_SLICE) return new Map(map);
  const out = new Map<string, V>();
  let n = 0;
  for (const [k, v] of map) {
    out.set(k, v);
    if (++n % COPY_SLICE === 0) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return out;
}

const byProfileId = (a: CompiledProfile, b: CompiledProfile) => (a.profile.id < b.profile.id ? -1 : a.profile.id > b.profile.id ? 1 : 0);

/**
 * The snapshot's config compiled incrementally. Rows are staged as they change (parsed at once,
 * in batches a caller can interleave with other work), and a commit recompiles only what the
 * staged ids reach: a policy its profiles, a client its profiles, an endpoint its proxy's route
 * table, a collection or backend credential the proxies that name it. Everything else — and the
 * token index, which refers to profiles by slot — is shared with the previous snapshot. A full
 * compile is the same path from an empty state, so both give the same result.
 */
export class SnapshotCompiler {
  readonly #onInvalid: InvalidRowHandler;
  readonly #open: OpenSecret | undefined;
  readonly #versions = new Map<string, string>();
  readonly #signatures = new Map<string, TypeSignature>();
  readonly #parsed: { [K in Kind]: Map<string, Held<K>> } = {
    'backend-credentials': new Map(),
    collections: new Map(),
    proxies: new Map(),
    endpoints: new Map(),
    policies: new Map(),
    clients: new Map(),
    profiles: new Map(),
    workflows: new Map(),
    'mcp-servers': new Map(),
    'virtual-mcps': new Map(),
    'mcp-grants': new Map(),
    'role-bindings': new Map(),
  };
  readonly #mcp: McpPart;
  readonly #endpointRows = new Map<string, ResourceRow>();
  readonly #versionRows = new Map<string, ResourceRow>();
  readonly #sealed = new Map<string, string>();
  readonly #endpointsByProxy = new Map<string, Set<string>>();
  readonly #profilesByClient = new Map<string, Set<string>>();
  readonly #tables = new Map<string, EndpointTable>();
  #dirty = emptyDirty();

  #auths = new Map<string, BackendAuth>();
  #compiledProxies = new Map<string, CompiledProxy>();
  #collections = new Map<string, Collection>();
  #policies: BucketedMap<Policy> = BucketedMap.empty<Policy>();
  #profiles = new Map<string, CompiledProfile>();
  /** Profiles that some certificate or issuer index lists (jwt, oidc, mtls). */
  readonly #indexedProfiles = new Set<string>();
  #config: SnapshotConfig | null = null;

  constructor(onInvalid: InvalidRowHandler = () => {}, open?: OpenSecret) {
    this.#onInvalid = onInvalid;
    this.#open = open;
    this.#mcp = new McpPart(open, onInvalid);
  }

  /** The version stamp of each compiled row (`type\nid` → `version updated_at`), to find rows changed in the store. */
  get versions(): ReadonlyMap<string, string> {
    return this.#versions;
  }

  /** Count, version sum and newest update of the compiled rows of one type, to compare with the store's cheaply. */
  signature(type: string): TypeSignature {
    return this.#signatures.get(type) ?? { count: 0, versions: 0, newest: '' };
  }

  /** Parses and records changed rows; nothing is recompiled until `commit`. */
  stage(changes: Iterable<ResourceChange>): void {
    for (const c of changes) this.#stageOne(c);
  }

  /** Records a backend credential's sealed material (null: it has none now). */
  stageSecret(ownerId: string, ciphertext: string | null): void {
    if (ciphertext === null) this.#sealed.delete(ownerId);
    else this.#sealed.set(ownerId, ciphertext);
    this.#dirty.secrets.add(ownerId);
  }

  /** The sealed material staged so far, by backend credential id. */
  get sealed(): ReadonlyMap<string, string> {
    return this.#sealed;
  }

  /** Records an MCP server's own sealed material of one owner type (see MCP_SECRET_TYPES; null: it has none now). */
  stageMcpSecret(ownerType: string, serverId: string, ciphertext: string | null): void {
    this.#mcp.stageSecret(ownerType, serverId, ciphertext);
  }

  /** The MCP servers' own sealed material staged so far, by `<owner type>\n<server id>`. */
  get mcpSealed(): ReadonlyMap<string, string> {
    return this.#mcp.sealed;
  }

  #stageOne({ type, id, row }: ResourceChange): void {
    const key = `${type}\n${id}`;
    const sig = this.#signatures.get(type) ?? { count: 0, versions: 0, newest: '' };
    const held = this.#versions.get(key);
    if (held !== undefined) {
      sig.count--;
      sig.versions -= Number.parseInt(held, 10);
    }
    if (row === null) this.#versions.delete(key);
    else {
      this.#versions.set(key, `${row.version} ${row.updated_at}`);
      sig.count++;
      sig.versions += row.version;
      if (row.updated_at > sig.newest) sig.newest = row.updated_at;
    }
    this.#signatures.set(type, sig);
    if (type === 'workflow-versions') {
      // Past versions are parsed only when something is pinned to them (see workflowDefinitions).
      if (row === null) this.#versionRows.delete(id);
      else this.#versionRows.set(id, row);
      this.#dirty['workflow-versions'].add(id);
      return;
    }
    if (!(type in SCHEMAS)) return;
    const kind = type as Kind;
    const before = this.#parsed[kind].get(id);
    let after = row === null ? undefined : this.#parse(kind, row);
    if (kind === 'endpoints') {
      const old = before as RoutedEndpoint | undefined;
      const next = after === undefined ? undefined : routed(after as Endpoint);
      after = next;
      if (old) {
        removeFrom(this.#endpointsByProxy, old.proxyId, id);
        this.#dirty.proxies.add(old.proxyId);
        this.#tables.delete(old.proxyId);
      }
      if (next) {
        addTo(this.#endpointsByProxy, next.proxyId, id);
        this.#dirty.proxies.add(next.proxyId);
        this.#tables.delete(next.proxyId);
        this.#endpointRows.set(id, row!);
      } else this.#endpointRows.delete(id);
    }
    if (kind === 'profiles') {
      if (before) removeFrom(this.#profilesByClient, (before as Profile).clientId, id);
      if (after) addTo(this.#profilesByClient, (after as Profile).clientId, id);
    }
    const map = this.#parsed[kind] as Map<string, unknown>;
    if (after === undefined) map.delete(id);
    else map.set(id, after);
    this.#dirty[kind].add(id);
  }

  #parse(kind: Kind, row: ResourceRow): unknown {
    let doc: unknown;
    try {
      doc = { ...JSON.parse(row.data), id: row.id, version: row.version, createdAt: row.created_at, updatedAt: row.updated_at };
    } catch {
      this.#onInvalid(row.type, row.id, 'data is not JSON');
      return undefined;
    }
    const parsed = SCHEMAS[kind].safeParse(doc);
    if (parsed.success) return parsed.data;
    this.#onInvalid(row.type, row.id, parsed.error.message);
    return undefined;
  }

  /** Recompiles what the staged changes reach and returns the config, sharing every part they do not. */
  commit(): Commit {
    return this.#commit(this.#dirty.collections.size > 0 ? new Map(this.#parsed.collections) : undefined);
  }

  /**
   * The same commit, with the copy of the collection map made in slices that give way to the event
   * loop; nothing may be staged meanwhile. The policies (100,000 after a large apply) are not
   * copied: the next version shares all but the changed ones' buckets (see BucketedMap).
   */
  async commitInSlices(): Promise<Commit> {
    return this.#commit(this.#dirty.collections.size > 0 ? await copyInSlices(this.#parsed.collections) : undefined);
  }

  #commit(collections: Map<string, Collection> | undefined): Commit {
    const dirty = this.#dirty;
    this.#dirty = emptyDirty();
    const auths = this.#commitAuths(dirty);
    if (collections) this.#collections = collections;
    if (dirty.policies.size > 0) this.#policies = this.#policies.with([...dirty.policies].map((id) => [id, this.#parsed.policies.get(id)] as const));
    const proxiesChanged = this.#commitProxies(dirty, auths);
    const profiles = this.#commitProfiles(dirty);
    const prev = this.#config;
    const workflowsChanged = proxiesChanged.size > 0 || dirty.workflows.size > 0 || dirty['workflow-versions'].size > 0;
    this.#config = {
      proxies: prev && proxiesChanged.size === 0 ? prev.proxies : this.#byBasePath(),
      profiles: prev && profiles.size === 0 ? prev.profiles : this.#profiles,
      ...(prev && ![...profiles].some((id) => this.#indexedProfiles.has(id) || indexable(this.#profiles.get(id)))
        ? { issuers: prev.issuers, certificates: prev.certificates }
        : this.#profileIndexes()),
      collections: this.#collections,
      policies: this.#policies,
      endpointDocs: prev && proxiesChanged.size === 0 ? prev.endpointDocs : this.#endpointDocs(),
      workflows: prev && !workflowsChanged ? prev.workflows : this.#workflows(),
      backendCredentials: prev && auths.size === 0 ? prev.backendCredentials : new Map([...this.#auths.values()].map((a) => [a.name, a])),
      mcp: this.#commitMcp(dirty, auths),
    };
    return { config: this.#config, profiles };
  }

  /** How a token index slot resolves against the committed profiles. */
  readonly resolve: ResolveProfile<CompiledProfile> = (profileId, clientId) => {
    const p = this.#profiles.get(profileId);
    return p && p.client.id === clientId ? p : undefined;
  };

  /** The MCP part, recompiled where the changes reach it (see McpPart). */
  #commitMcp(dirty: Dirty, credentials: ReadonlySet<string>): Snapshot['mcp'] {
    const parsed = this.#parsed;
    return this.#mcp.commit(
      {
        servers: parsed['mcp-servers'],
        virtuals: parsed['virtual-mcps'],
        grants: parsed['mcp-grants'],
        bindings: parsed['role-bindings'],
        credentials: parsed['backend-credentials'],
        credentialSecrets: this.#sealed,
        versionRows: this.#versionRows,
      },
      {
        servers: dirty['mcp-servers'],
        virtuals: dirty['virtual-mcps'],
        grants: dirty['mcp-grants'],
        bindings: dirty['role-bindings'],
        credentials,
        versions: dirty['workflow-versions'],
      },
    );
  }

  /** Reopens the backend credentials the changes reach; returns their ids. */
  #commitAuths(dirty: Dirty): Set<string> {
    const ids = new Set([...dirty['backend-credentials'], ...dirty.secrets]);
    if (ids.size === 0) return ids;
    this.#auths = new Map(this.#auths);
    for (const id of ids) {
      const c = this.#parsed['backend-credentials'].get(id);
      const auth = c ? backendAuthOf(c, this.#sealed.get(id), this.#open, this.#onInvalid) : null;
      if (auth) this.#auths.set(id, auth);
      else this.#auths.delete(id);
    }
    return ids;
  }

  /** Recompiles the proxies the changes reach; returns their ids. */
  #commitProxies(dirty: Dirty, auths: ReadonlySet<string>): Set<string> {
    const ids = new Set(dirty.proxies);
    if (dirty.collections.size > 0 || auths.size > 0) {
      for (const p of this.#parsed.proxies.values()) {
        if (dirty.collections.has(p.collectionId) || (p.backendCredentialId !== null && auths.has(p.backendCredentialId))) ids.add(p.id);
      }
    }
    if (ids.size === 0) return ids;
    this.#compiledProxies = new Map(this.#compiledProxies);
    for (const id of ids) {
      const proxy = this.#parsed.proxies.get(id);
      const collection = proxy && this.#parsed.collections.get(proxy.collectionId);
      if (!proxy || !collection) {
        this.#compiledProxies.delete(id);
        continue;
      }
      const endpoints = this.#endpointsOf(id);
      let table = this.#tables.get(id);
      if (!table) {
        table = compileEndpointTable(endpoints);
        this.#tables.set(id, table);
      }
      const workflows = proxyWorkflows(proxy.workflowId === null ? null : { id: proxy.workflowId, version: proxy.workflowVersion }, endpoints);
      const backendAuth = proxy.backendCredentialId === null ? null : (this.#auths.get(proxy.backendCredentialId) ?? 'unavailable');
      const tls = tlsPlan(proxy.tls, typeof backendAuth === 'object' ? backendAuth : null);
      this.#compiledProxies.set(id, { proxy, collection, endpoints: table, workflows, backendAuth, tls });
    }
    return ids;
  }

  #endpointsOf(proxyId: string): RoutedEndpoint[] {
    const ids = [...(this.#endpointsByProxy.get(proxyId) ?? [])].sort();
    return ids.map((id) => this.#parsed.endpoints.get(id)!);
  }

  /** Proxies by base path; should two claim one, the greater id wins (whatever order rows were read in). */
  #byBasePath(): Map<string, CompiledProxy> {
    const out = new Map<string, CompiledProxy>();
    for (const p of this.#compiledProxies.values()) {
      const held = out.get(p.proxy.basePath);
      if (!held || held.proxy.id < p.proxy.id) out.set(p.proxy.basePath, p);
    }
    return out;
  }

  #endpointDocs(): EndpointDocs {
    const documented = new Map<string, ResourceRow>();
    const shared = new Map<string, Record<string, Record<string, unknown>>>();
    for (const p of this.#compiledProxies.values()) {
      if (p.proxy.schemas) shared.set(p.proxy.id, p.proxy.schemas);
      for (const id of this.#endpointsByProxy.get(p.proxy.id) ?? []) documented.set(id, this.#endpointRows.get(id)!);
    }
    return new EndpointDocs(documented, (proxyId) => shared.get(proxyId));
  }

  /** Recompiles the profiles the changes reach; returns their ids. */
  #commitProfiles(dirty: Dirty): Set<string> {
    const ids = new Set(dirty.profiles);
    for (const clientId of dirty.clients) for (const id of this.#profilesByClient.get(clientId) ?? []) ids.add(id);
    if (dirty.policies.size > 0) {
      for (const p of this.#parsed.profiles.values()) {
        const policyId = p.policyId ?? this.#parsed.clients.get(p.clientId)?.policyId;
        if (policyId && dirty.policies.has(policyId)) ids.add(p.id);
      }
    }
    if (ids.size === 0) return ids;
    this.#profiles = new Map(this.#profiles);
    for (const id of ids) {
      const profile = this.#parsed.profiles.get(id);
      const client = profile && this.#parsed.clients.get(profile.clientId);
      if (!profile || !client) {
        this.#profiles.delete(id);
        continue;
      }
      this.#profiles.set(id, compileProfile(profile, client, this.#parsed.policies));
    }
    return ids;
  }

  /** Issuer and certificate indexes, rebuilt from the profiles that appear in them (sorted by id, so the order is the store's, not the changes'). */
  #profileIndexes(): { issuers: Map<string, CompiledProfile[]>; certificates: CertificateIndex } {
    const issuers = new Map<string, CompiledProfile[]>();
    const byFingerprint = new Map<string, CompiledProfile[]>();
    const bySubject = new Map<string, CompiledProfile[]>();
    const collections = new Set<string>();
    const add = (index: Map<string, CompiledProfile[]>, key: string, p: CompiledProfile) => {
      const list = index.get(key);
      if (list) list.push(p);
      else index.set(key, [p]);
    };
    this.#indexedProfiles.clear();
    const listed = [...this.#profiles.values()].filter(indexable);
    for (const compiled of listed.sort(byProfileId)) {
      this.#indexedProfiles.add(compiled.profile.id);
      const { profile } = compiled;
      if (profile.jwt && (profile.authType === 'jwt' || profile.authType === 'oidc')) add(issuers, profile.jwt.issuer, compiled);
      if (compiled.mtls !== null) {
        for (const f of compiled.mtls.fingerprints.keys()) add(byFingerprint, f, compiled);
        for (const subject of compiled.mtls.subjects) add(bySubject, subject, compiled);
        for (const c of compiled.collections) collections.add(c);
      }
    }
    return { issuers, certificates: { byFingerprint, bySubject, collections } };
  }

  #workflows(): Map<string, WorkflowDefinitions> {
    const pins: WorkflowRef[] = [];
    for (const p of this.#compiledProxies.values()) {
      if (p.workflows) for (const ref of [p.workflows.proxy, ...p.workflows.endpoints.values()]) if (ref?.version != null) pins.push(ref);
    }
    return workflowDefinitions([...this.#parsed.workflows.values()], this.#versionRows, pins, this.#onInvalid);
  }
}
