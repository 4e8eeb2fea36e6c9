import { createPublicKey, type KeyObject } from 'node:crypto';
import type { z } from 'zod';
import {
  BackendCredential,
  Client,
  Collection,
  Endpoint,
  Policy,
  Profile,
  ApiProxy as ProxySchema,
  Workflow,
  type WorkflowInput,
  type WorkflowRef,
  WorkflowVersion,
} from '../../core/index.js';
import type { LimitRule } from '../limits/limiter.js';
import { compileIpMatcher } from '../net/ip-matcher.js';
import { compileEndpointTable } from '../routing/router.js';
import type { Kysely } from 'kysely';
import type { DB } from '../../store/schema.js';
import { type ApprovalRow, liveDecisions } from '../../store/repositories/approvals.js';
import type { ApprovalDecision } from '../guardrails/services.js';
import { compileMtls } from '../auth/client-certificate.js';
import { type BackendMaterial, compileBackendAuth } from '../credentials/compile.js';
import { tlsPlan } from '../credentials/tls-plan.js';
import type { BackendAuth } from '../credentials/types.js';
import {
  type CredentialRow,
  countCredentials,
  forEachCredentialPage,
  loadBackendSecrets,
  loadResources,
  type ResourceRow,
  type SealedRow,
  type SnapshotInput,
} from './load.js';
import { compileMcp, loadMcpSnapshot } from './compile-mcp.js';
import { EndpointDocs } from './endpoint-docs.js';
import { CREDENTIAL_ACTIVE, CREDENTIAL_ROTATED, type TokenEntry, TokenIndexBuilder } from './token-index.js';
import type { CompiledProfile, CompiledProxy, LimitPlan, ProxyWorkflows, Snapshot, WorkflowDefinitions } from './types.js';

/** Called for a stored row that does not parse; the snapshot leaves it out rather than failing whole. */
export type InvalidRowHandler = (type: string, id: string, reason: string) => void;

const SCHEMAS = {
  'backend-credentials': BackendCredential,
  collections: Collection,
  proxies: ProxySchema,
  endpoints: Endpoint,
  policies: Policy,
  clients: Client,
  profiles: Profile,
  workflows: Workflow,
} as const;
type Kind = keyof typeof SCHEMAS;
type Parsed = { [K in Kind]: Array<z.infer<(typeof SCHEMAS)[K]>> } & { endpointRows: Map<string, ResourceRow>; versionRows: Map<string, ResourceRow> };

function parseRows(rows: readonly ResourceRow[], onInvalid: InvalidRowHandler): Parsed {
  const out: Parsed = {
    'backend-credentials': [],
    collections: [],
    proxies: [],
    endpoints: [],
    policies: [],
    clients: [],
    profiles: [],
    workflows: [],
    endpointRows: new Map(),
    versionRows: new Map(),
  };
  for (const row of rows) {
    // Past versions are parsed only when something is pinned to them (see workflowDefinitions).
    if (row.type === 'workflow-versions') {
      out.versionRows.set(row.id, row);
      continue;
    }
    const schema = SCHEMAS[row.type as Kind];
    if (!schema) continue;
    let doc: unknown;
    try {
      doc = { ...JSON.parse(row.data), id: row.id, version: row.version, createdAt: row.created_at, updatedAt: row.updated_at };
    } catch {
      onInvalid(row.type, row.id, 'data is not JSON');
      continue;
    }
    const parsed = schema.safeParse(doc);
    if (!parsed.success) {
      onInvalid(row.type, row.id, parsed.error.message);
      continue;
    }
    (out[row.type as Kind] as unknown[]).push(parsed.data);
    if (row.type === 'endpoints') out.endpointRows.set(row.id, row);
  }
  return out;
}

function limitRules(policy: Policy): LimitRule[] {
  const rules: LimitRule[] = [];
  for (const r of policy.rateLimits) rules.push({ kind: 'rate', window: r.window, limit: r.limit });
  for (const q of policy.quotas) rules.push({ kind: 'quota', window: q.period, limit: q.limit });
  return rules;
}

function limitPlan(profile: Profile, client: Client, policies: Map<string, Policy>): LimitPlan | null {
  const policyId = profile.policyId ?? client.policyId;
  if (!policyId) return null;
  // A profile's own policy counts per profile; the client's policy is shared by all its profiles.
  const key = profile.policyId ? `p:${profile.id}` : `c:${client.id}`;
  const perAddress = profile.authType === 'none' ? { perAddress: true as const } : {};
  const policy = policies.get(policyId);
  // Its row was left out as invalid: failing open would lift every limit and quota it sets.
  if (!policy) return { key, rules: [], unavailable: true, ...perAddress };
  const rules = limitRules(policy);
  if (rules.length === 0) return null;
  return { key, rules, ...perAddress };
}

function parsePublicKey(text: string | undefined): KeyObject | null {
  if (!text) return null;
  try {
    const trimmed = text.trim();
    return trimmed.startsWith('{') ? createPublicKey({ key: JSON.parse(trimmed), format: 'jwk' }) : createPublicKey(trimmed);
  } catch {
    return null;
  }
}

function compileProfile(profile: Profile, client: Client, policies: Map<string, Policy>): CompiledProfile {
  const granted = new Set(client.collectionIds);
  const collections = profile.collectionIds === null ? granted : new Set(profile.collectionIds.filter((id) => granted.has(id)));
  return {
    profile,
    client,
    methods: new Set(profile.allowedMethods),
    ip: compileIpMatcher(profile.ipAllowlist),
    collections,
    limits: limitPlan(profile, client, policies),
    publicKey: profile.authType === 'jwt' ? parsePublicKey(profile.jwt?.publicKey) : null,
    mtls: profile.authType === 'mtls' && profile.mtls ? compileMtls(profile.mtls) : null,
  };
}

function timeOrNull(iso: string | null): number | null {
  if (iso === null) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
}

/** Adds a page of credential rows to the token index; rows of unknown or mismatched profiles, and revoked ones, are left out. */
/** A stored credential as the token index holds it, or null when it must not authenticate (revoked, or its profile is gone). */
function tokenEntry(row: CredentialRow, profiles: ReadonlyMap<string, CompiledProfile>): TokenEntry<CompiledProfile> | null {
  const profile = profiles.get(row.profile_id);
  if (!profile || profile.client.id !== row.client_id) return null;
  const rotated = row.status === 'rotated';
  if (!rotated && row.status !== 'active') return null;
  return {
    profile,
    status: rotated ? CREDENTIAL_ROTATED : CREDENTIAL_ACTIVE,
    expiresAt: timeOrNull(row.expires_at) ?? Number.POSITIVE_INFINITY,
    // A rotated credential without a grace end has none left.
    graceUntil: rotated ? (timeOrNull(row.grace_until) ?? 0) : Number.POSITIVE_INFINITY,
  };
}

function addCredentials(tokens: TokenIndexBuilder<CompiledProfile>, profiles: ReadonlyMap<string, CompiledProfile>, rows: readonly CredentialRow[]): void {
  for (const row of rows) {
    const entry = tokenEntry(row, profiles);
    if (entry) tokens.add(row.token_hash, entry.profile, entry.status, entry.expiresAt, entry.graceUntil);
  }
}

/** The snapshot with these credentials' current rows applied to its token index, everything else shared. */
export function withCredentials(snapshot: Snapshot, rows: readonly CredentialRow[]): Snapshot {
  const changes = new Map<string, TokenEntry<CompiledProfile> | null>();
  for (const row of rows) {
    if (row.token_hash.length !== 64) continue;
    changes.set(Buffer.from(row.token_hash, 'hex').toString('latin1'), tokenEntry(row, snapshot.profiles));
  }
  return { ...snapshot, builtAt: Date.now(), tokens: snapshot.tokens.withChanges(changes) };
}

type SnapshotConfig = Omit<Snapshot, 'tokens' | 'builtAt' | 'approvals' | 'mcp'>;

/** Opens sealed secret material (the node's secret box). */
export type OpenSecret = (sealed: string) => string;

/** Backend credentials by id, their material opened; one whose material cannot be opened or does not fit is left out (and reported). */
function backendCredentials(
  credentials: readonly BackendCredential[],
  sealed: readonly SealedRow[],
  open: OpenSecret | undefined,
  onInvalid: InvalidRowHandler,
): Map<string, BackendAuth> {
  const material = new Map(sealed.map((r) => [r.owner_id, r.ciphertext]));
  const out = new Map<string, BackendAuth>();
  for (const c of credentials) {
    const text = material.get(c.id);
    let opened: BackendMaterial;
    try {
      if (text === undefined || open === undefined) throw new Error('no sealed material to open');
      opened = JSON.parse(open(text)) as BackendMaterial;
    } catch (err) {
      // The reason names the failure, never the material.
      onInvalid('backend-credentials', c.id, `its secret material cannot be opened (${(err as Error).message})`);
      continue;
    }
    const auth = compileBackendAuth(c, opened);
    if (auth === null) onInvalid('backend-credentials', c.id, 'its secret material does not fit its type');
    else out.set(c.id, auth);
  }
  return out;
}

/** Compiles everything but the token index. */
function compileConfig(
  resources: readonly ResourceRow[],
  sealed: readonly SealedRow[],
  open: OpenSecret | undefined,
  onInvalid: InvalidRowHandler,
): SnapshotConfig {
  const parsed = parseRows(resources, onInvalid);
  const auths = backendCredentials(parsed['backend-credentials'], sealed, open, onInvalid);
  const collections = new Map(parsed.collections.map((c) => [c.id, c]));
  const policies = new Map(parsed.policies.map((p) => [p.id, p]));
  const clients = new Map(parsed.clients.map((c) => [c.id, c]));

  const endpointsByProxy = new Map<string, Endpoint[]>();
  for (const ep of parsed.endpoints) {
    const list = endpointsByProxy.get(ep.proxyId);
    if (list) list.push(ep);
    else endpointsByProxy.set(ep.proxyId, [ep]);
  }
  const proxies = new Map<string, CompiledProxy>();
  const documented = new Map<string, ResourceRow>();
  const pins: WorkflowRef[] = [];
  for (const proxy of parsed.proxies) {
    const collection = collections.get(proxy.collectionId);
    if (!collection) continue;
    const endpoints = endpointsByProxy.get(proxy.id) ?? [];
    const workflows = proxyWorkflows(proxy.workflowId === null ? null : { id: proxy.workflowId, version: proxy.workflowVersion }, endpoints);
    if (workflows) for (const ref of [workflows.proxy, ...workflows.endpoints.values()]) if (ref?.version != null) pins.push(ref);
    const backendAuth = proxy.backendCredentialId === null ? null : (auths.get(proxy.backendCredentialId) ?? 'unavailable');
    const tls = tlsPlan(proxy.tls, typeof backendAuth === 'object' ? backendAuth : null);
    proxies.set(proxy.basePath, { proxy, collection, endpoints: compileEndpointTable(endpoints), workflows, backendAuth, tls });
    for (const ep of endpoints) documented.set(ep.id, parsed.endpointRows.get(ep.id)!);
  }

  const sharedSchemas = new Map<string, Record<string, Record<string, unknown>>>();
  for (const p of proxies.values()) if (p.proxy.schemas) sharedSchemas.set(p.proxy.id, p.proxy.schemas);

  const profiles = new Map<string, CompiledProfile>();
  const issuers = new Map<string, CompiledProfile[]>();
  const byFingerprint = new Map<string, CompiledProfile[]>();
  const bySubject = new Map<string, CompiledProfile[]>();
  const certificateCollections = new Set<string>();
  const add = (index: Map<string, CompiledProfile[]>, key: string, p: CompiledProfile) => {
    const list = index.get(key);
    if (list) list.push(p);
    else index.set(key, [p]);
  };
  for (const profile of parsed.profiles) {
    const client = clients.get(profile.clientId);
    if (!client) continue;
    const compiled = compileProfile(profile, client, policies);
    profiles.set(profile.id, compiled);
    if (profile.jwt && (profile.authType === 'jwt' || profile.authType === 'oidc')) {
      const list = issuers.get(profile.jwt.issuer);
      if (list) list.push(compiled);
      else issuers.set(profile.jwt.issuer, [compiled]);
    }
    if (compiled.mtls !== null) {
      for (const f of compiled.mtls.fingerprints.keys()) add(byFingerprint, f, compiled);
      for (const subject of compiled.mtls.subjects) add(bySubject, subject, compiled);
      for (const c of compiled.collections) certificateCollections.add(c);
    }
  }

  return {
    proxies,
    profiles,
    issuers,
    certificates: { byFingerprint, bySubject, collections: certificateCollections },
    collections,
    policies,
    endpointDocs: new EndpointDocs(documented, (proxyId) => sharedSchemas.get(proxyId)),
    workflows: workflowDefinitions(parsed.workflows, parsed.versionRows, pins, onInvalid),
    backendCredentials: new Map([...auths.values()].map((a) => [a.name, a])),
  };
}

/** The workflows of a proxy and its endpoints, or null when none has one. */
function proxyWorkflows(own: WorkflowRef | null, endpoints: readonly Endpoint[]): ProxyWorkflows | null {
  const overrides = new Map<string, WorkflowRef | null>();
  for (const ep of endpoints) {
    if (ep.workflowDisabled) overrides.set(ep.id, null);
    else if (ep.workflowId !== null) overrides.set(ep.id, { id: ep.workflowId, version: ep.workflowVersion });
  }
  if (own === null && [...overrides.values()].every((r) => r === null)) return null;
  return { proxy: own, endpoints: overrides };
}

/** Each workflow's latest definition, and the past versions something is pinned to. */
function workflowDefinitions(
  workflows: readonly Workflow[],
  versionRows: ReadonlyMap<string, ResourceRow>,
  pins: readonly WorkflowRef[],
  onInvalid: InvalidRowHandler,
): Map<string, WorkflowDefinitions> {
  const out = new Map<string, { latest: WorkflowDefinitions['latest']; pinned: Map<number, WorkflowInput> }>();
  for (const w of workflows) {
    const { id: _id, version, createdAt: _c, updatedAt: _u, ...definition } = w;
    out.set(w.id, { latest: { version, definition }, pinned: new Map() });
  }
  for (const pin of pins) {
    const entry = out.get(pin.id);
    if (!entry || pin.version === null || pin.version === entry.latest.version || entry.pinned.has(pin.version)) continue;
    const row = versionRows.get(`${pin.id}@${pin.version}`);
    if (!row) continue;
    const parsed = WorkflowVersion.safeParse({ ...parseData(row.data), version: pin.version });
    if (parsed.success) entry.pinned.set(pin.version, parsed.data.definition);
    else onInvalid(row.type, row.id, parsed.error.message);
  }
  return out;
}

/** Compiles stored config into the immutable snapshot the hot path reads. */
export function compileSnapshot(input: SnapshotInput, onInvalid: InvalidRowHandler = () => {}, open?: OpenSecret): Snapshot {
  const config = compileConfig(input.resources, input.backendSecrets ?? [], open, onInvalid);
  const tokens = new TokenIndexBuilder<CompiledProfile>(input.credentials.length);
  addCredentials(tokens, config.profiles, input.credentials);
  const mcp = compileMcp(input.resources, input.mcpSecrets ?? [], open, onInvalid);
  return { ...config, builtAt: Date.now(), tokens: tokens.build(), approvals: approvalIndex(input.approvals ?? []), mcp };
}

/** Approval decisions by digest: a decision in force per call (a newer one replaces an older). */
function approvalIndex(rows: readonly ApprovalRow[]): Map<string, ApprovalDecision> {
  const out = new Map<string, ApprovalDecision>();
  for (const row of rows) {
    const d = decisionOf(row);
    if (d !== null) out.set(row.digest, d);
  }
  return out;
}

function decisionOf(row: ApprovalRow): ApprovalDecision | null {
  if (row.status !== 'approved' && row.status !== 'denied') return null;
  return { id: row.id, status: row.status, reason: row.decision_reason, expiresAt: Date.parse(row.expires_at) };
}

/** The snapshot with one approval's current state applied in place of a rebuild (a decision, or an approval spent). */
export function withApproval(snapshot: Snapshot, row: ApprovalRow): Snapshot {
  const approvals = new Map(snapshot.approvals);
  const now = Date.now();
  for (const [digest, d] of approvals) if (d.expiresAt <= now) approvals.delete(digest);
  const d = decisionOf(row);
  if (d !== null) approvals.set(row.digest, d);
  else if (approvals.get(row.digest)?.id === row.id) approvals.delete(row.digest);
  return { ...snapshot, approvals };
}

/** Reads and compiles the snapshot, packing credentials into the token index a page at a time so their rows never sit in memory together. */
export async function loadSnapshot(db: Kysely<DB>, onInvalid: InvalidRowHandler = () => {}, open?: OpenSecret): Promise<Snapshot> {
  const config = compileConfig(await loadResources(db), await loadBackendSecrets(db), open, onInvalid);
  const tokens = new TokenIndexBuilder<CompiledProfile>(await countCredentials(db));
  await forEachCredentialPage(db, (rows) => addCredentials(tokens, config.profiles, rows));
  const mcp = await loadMcpSnapshot(db, open, onInvalid);
  return { ...config, builtAt: Date.now(), tokens: tokens.build(), approvals: approvalIndex(await liveDecisions(db, new Date().toISOString())), mcp };
}

function parseData(data: string): Record<string, unknown> | null {
  try {
    return JSON.parse(data) as Record<string, unknown>;
  } catch {
    return null;
  }
}
