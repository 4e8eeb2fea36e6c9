import type { KeyObject, X509Certificate } from 'node:crypto';
import type { Client, Collection, Policy, Profile, ApiProxy as ProxyResource, WorkflowInput, WorkflowRef } from '../../core/index.js';
import type { TlsPlan } from '../credentials/tls-plan.js';
import type { ApprovalDecision } from '../guardrails/services.js';
import type { BackendAuth } from '../credentials/types.js';
import type { LimitRule } from '../limits/limiter.js';
import type { IpMatcher } from '../net/ip-matcher.js';
import type { EndpointTable } from '../routing/router.js';
import type { McpSnapshot } from './compile-mcp.js';
import type { EndpointDocs } from './endpoint-docs.js';
import type { TokenIndex } from './token-index.js';

/** Which workflows a proxy's calls run: the proxy's own, and the endpoints that choose another (or none). */
export interface ProxyWorkflows {
  readonly proxy: WorkflowRef | null;
  /** Endpoint id → its own workflow, or null for none; endpoints not listed run the proxy's. */
  readonly endpoints: ReadonlyMap<string, WorkflowRef | null>;
}

/** A proxy ready for routing: its collection, endpoint trie and upstream settings. */
export interface CompiledProxy {
  readonly proxy: ProxyResource;
  readonly collection: Collection;
  readonly endpoints: EndpointTable;
  /** null when neither the proxy nor any of its endpoints has a workflow: its calls pay nothing for workflows. */
  readonly workflows: ProxyWorkflows | null;
  /** The credential its upstream calls carry; `unavailable` when it names one the snapshot cannot use (calls fail with 503). */
  readonly backendAuth: BackendAuth | 'unavailable' | null;
  /** How its https upstream connections are made; null for the defaults. */
  readonly tls: TlsPlan | null;
}

/** A workflow's definitions a snapshot can serve: the latest, and the versions some proxy or endpoint is pinned to. */
export interface WorkflowDefinitions {
  readonly latest: { readonly version: number; readonly definition: WorkflowInput };
  readonly pinned: ReadonlyMap<number, WorkflowInput>;
}

/** Rate and quota rules with the key they are counted under (per profile or per client). */
export interface LimitPlan {
  readonly key: string;
  readonly rules: readonly LimitRule[];
  /** Counted per caller address (a `none` profile: its callers share no credential), not per plan key. */
  readonly perAddress?: true;
  /** The policy named for these calls is not in the snapshot (its row did not parse): calls are refused, not let through uncounted. */
  readonly unavailable?: true;
}

/** A profile joined with its client, with everything the access checks need precomputed. */
export interface CompiledProfile {
  readonly profile: Profile;
  readonly client: Client;
  readonly methods: ReadonlySet<string>;
  readonly ip: IpMatcher | null;
  /** Collections the caller may reach: the client's grants, narrowed by the profile when it narrows. */
  readonly collections: ReadonlySet<string>;
  readonly limits: LimitPlan | null;
  /** For `jwt` profiles with `publicKey`: the key, parsed once. */
  readonly publicKey: KeyObject | null;
  /** For `mtls` profiles: the trusted CAs and the certificates they recognize. */
  readonly mtls: CompiledMtls | null;
}

/** An mtls profile's settings, compiled: its CAs parsed, its fingerprints by value with their expiry. */
export interface CompiledMtls {
  readonly cas: readonly X509Certificate[];
  /** Upper-case hex without colons → when it stops matching (ms; Infinity for never). */
  readonly fingerprints: ReadonlyMap<string, number>;
  readonly subjects: readonly string[];
}

/** `mtls` profiles by what they recognize a client certificate by. */
export interface CertificateIndex {
  /** Upper-case hex SHA-256 without colons → profiles. */
  readonly byFingerprint: ReadonlyMap<string, readonly CompiledProfile[]>;
  /** Subject, `CN=…` or SAN entry → profiles. */
  readonly bySubject: ReadonlyMap<string, readonly CompiledProfile[]>;
  /** Collections some mtls profile reaches: a call there without any credential is told a certificate is required. */
  readonly collections: ReadonlySet<string>;
}

/** The immutable, compiled config the hot path reads instead of the database. */
export interface Snapshot {
  readonly builtAt: number;
  /** Proxies by base path. */
  readonly proxies: ReadonlyMap<string, CompiledProxy>;
  /** Token credentials by the sha256 digest of the token; revoked ones are absent. */
  readonly tokens: TokenIndex<CompiledProfile>;
  readonly profiles: ReadonlyMap<string, CompiledProfile>;
  readonly certificates: CertificateIndex;
  /** `jwt`/`oidc` profiles by their configured issuer. */
  readonly issuers: ReadonlyMap<string, readonly CompiledProfile[]>;
  readonly collections: ReadonlyMap<string, Collection>;
  readonly policies: ReadonlyMap<string, Policy>;
  /** Full endpoint documents and contracts (parsed on first use), for the catalog and request validation. */
  readonly endpointDocs: EndpointDocs;
  /** Workflow definitions by id. */
  readonly workflows: ReadonlyMap<string, WorkflowDefinitions>;
  /** Backend credentials by name (workflow route groups name theirs), with their material opened. */
  readonly backendCredentials: ReadonlyMap<string, BackendAuth>;
  /** Approval decisions in force (approved or denied, unexpired) by the digest of the call they cover. */
  readonly approvals: ReadonlyMap<string, ApprovalDecision>;
  /** Virtual MCP servers, Gateway MCP sign-ins and role holders: what the MCP surfaces read per request. */
  readonly mcp: McpSnapshot;
}
