import { createPublicKey, type KeyObject } from 'node:crypto';
import {
  type BackendCredential,
  type Client,
  type Endpoint,
  type Policy,
  type Profile,
  type Workflow,
  type WorkflowInput,
  type WorkflowRef,
  WorkflowVersion,
} from '../../core/index.js';
import { compileMtls } from '../auth/client-certificate.js';
import { type BackendMaterial, compileBackendAuth } from '../credentials/compile.js';
import type { BackendAuth } from '../credentials/types.js';
import type { LimitRule } from '../limits/limiter.js';
import { compileIpMatcher } from '../net/ip-matcher.js';
import type { ResourceRow } from './load.js';
import type { CompiledProfile, LimitPlan, ProxyWorkflows, WorkflowDefinitions } from './types.js';

/** Called for a stored row that does not parse; the snapshot leaves it out rather than failing whole. */
export type InvalidRowHandler = (type: string, id: string, reason: string) => void;

/** Opens sealed secret material (the node's secret box). */
export type OpenSecret = (sealed: string) => string;

function limitRules(policy: Policy): LimitRule[] {
  const rules: LimitRule[] = [];
  for (const r of policy.rateLimits) rules.push({ kind: 'rate', window: r.window, limit: r.limit });
  for (const q of policy.quotas) rules.push({ kind: 'quota', window: q.period, limit: q.limit });
  return rules;
}

function limitPlan(profile: Profile, client: Client, policies: ReadonlyMap<string, Policy>): LimitPlan | null {
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

/** A profile joined with its client and policy, with what the access checks need precomputed. */
export function compileProfile(profile: Profile, client: Client, policies: ReadonlyMap<string, Policy>): CompiledProfile {
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

export function timeOrNull(iso: string | null): number | null {
  if (iso === null) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
}

/** A backend credential with its material opened, or null (reported) when the material cannot be opened or does not fit. */
export function backendAuthOf(
  c: BackendCredential,
  sealed: string | undefined,
  open: OpenSecret | undefined,
  onInvalid: InvalidRowHandler,
): BackendAuth | null {
  let opened: BackendMaterial;
  try {
    if (sealed === undefined || open === undefined) throw new Error('no sealed material to open');
    opened = JSON.parse(open(sealed)) as BackendMaterial;
  } catch (err) {
    // The reason names the failure, never the material.
    onInvalid('backend-credentials', c.id, `its secret material cannot be opened (${(err as Error).message})`);
    return null;
  }
  const auth = compileBackendAuth(c, opened);
  if (auth === null) onInvalid('backend-credentials', c.id, 'its secret material does not fit its type');
  return auth;
}

/** The workflows of a proxy and its endpoints, or null when none has one. */
export function proxyWorkflows(
  own: WorkflowRef | null,
  endpoints: readonly Pick<Endpoint, 'id' | 'workflowId' | 'workflowVersion' | 'workflowDisabled'>[],
): ProxyWorkflows | null {
  const overrides = new Map<string, WorkflowRef | null>();
  for (const ep of endpoints) {
    if (ep.workflowDisabled) overrides.set(ep.id, null);
    else if (ep.workflowId !== null) overrides.set(ep.id, { id: ep.workflowId, version: ep.workflowVersion });
  }
  if (own === null && [...overrides.values()].every((r) => r === null)) return null;
  return { proxy: own, endpoints: overrides };
}

/** Each workflow's latest definition, and the past versions something is pinned to. */
export function workflowDefinitions(
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

function parseData(data: string): Record<string, unknown> | null {
  try {
    return JSON.parse(data) as Record<string, unknown>;
  } catch {
    return null;
  }
}
