import {
  type BackendCredential,
  GatehouseError,
  type McpGrant,
  type McpServer,
  type RoleBinding,
  type StdioLaunch,
  type VirtualMcp,
  type WorkflowInput,
  WorkflowVersion,
} from '../../core/index.js';
import { type BackendMaterial, compileBackendAuth } from '../credentials/compile.js';
import type { BackendAuth } from '../credentials/types.js';
import type { PerUserServer } from '../federation/upstream-oauth.js';
import { MCP_SECRET_TYPES, type ResourceRow } from './load.js';

/** An upstream MCP server with its sealed material opened: everything a call to it needs but per-request tokens. */
export interface CompiledMcpServer {
  readonly server: McpServer;
  readonly headers: Readonly<Record<string, string>>;
  /** A stdio server's command with its secret environment opened, or why it cannot start (every use fails with it). */
  readonly stdio?: StdioLaunch | GatehouseError;
  /** An `oauth_client_credentials` server's credential; null when it names none that is usable (its calls fail). */
  readonly oauth2?: Extract<BackendAuth, { kind: 'oauth2' }> | null;
  /** An `oauth_per_user` server as its OAuth client needs it; null for any other server. */
  readonly perUser: PerUserServer | null;
}

/** A virtual MCP server with its curated tools, prompts, resources, access list and the upstreams they come from. */
export interface CompiledVirtualMcp {
  readonly virtual: VirtualMcp;
  readonly upstreams: readonly CompiledMcpServer[];
}

/** A Gateway MCP sign-in: the profile its tokens act as, and who signed in. */
export interface McpSignIn {
  readonly profileId: string;
  readonly subject: string;
  readonly username: string;
  readonly issuer?: string;
}

/** What `/mcp/v/{slug}` and the Gateway MCP's sign-ins read per request, compiled with the rest of the snapshot. */
export interface McpSnapshot {
  /** Virtual servers by slug. */
  readonly virtualServers: ReadonlyMap<string, CompiledVirtualMcp>;
  /** Gateway MCP sign-ins by the authorization server's grant id. */
  readonly signIns: ReadonlyMap<string, McpSignIn>;
  /** Subjects and groups bound to some role on this gateway (who may use virtual servers at all). */
  readonly roleHolders: { readonly subjects: ReadonlySet<string>; readonly groups: ReadonlySet<string> };
  /** The definitions of the workflow versions virtual servers pin, by `<workflowId>@<version>` (a proxy's pins are the config's). */
  readonly workflowPins: ReadonlyMap<string, WorkflowInput>;
}

type Open = (sealed: string) => string;
type OnInvalid = (type: string, id: string, reason: string) => void;

// Owner types of the secrets table, as the management operations seal them.
const { headers: HEADERS, oauthClient: OAUTH_CLIENT_SECRET, stdioEnv: STDIO_SEALED_ENV } = MCP_SECRET_TYPES;
const BACKEND = 'backend-credentials';
// Which field of a backend credential's material a stdio server's secret environment takes.
const SECRET_ENV_FIELDS: Record<string, keyof BackendMaterial> = { basic: 'password', api_key: 'value', oauth2_client_credentials: 'clientSecret' };

/** The parsed rows the MCP part is compiled from, as the snapshot compiler holds them. */
export interface McpRows {
  readonly servers: ReadonlyMap<string, McpServer>;
  readonly virtuals: ReadonlyMap<string, VirtualMcp>;
  readonly grants: ReadonlyMap<string, McpGrant>;
  readonly bindings: ReadonlyMap<string, RoleBinding>;
  readonly credentials: ReadonlyMap<string, BackendCredential>;
  /** Sealed backend-credential material by credential id. */
  readonly credentialSecrets: ReadonlyMap<string, string>;
  /** Workflow version rows by `<workflowId>@<version>`. */
  readonly versionRows: ReadonlyMap<string, ResourceRow>;
}

/** The ids of each kind changed since the last commit (credentials: their rows or sealed material). */
export interface McpDirty {
  readonly servers: ReadonlySet<string>;
  readonly virtuals: ReadonlySet<string>;
  readonly grants: ReadonlySet<string>;
  readonly bindings: ReadonlySet<string>;
  readonly credentials: ReadonlySet<string>;
  readonly versions: ReadonlySet<string>;
}

const EMPTY: McpSnapshot = { virtualServers: new Map(), signIns: new Map(), roleHolders: { subjects: new Set(), groups: new Set() }, workflowPins: new Map() };

/**
 * The MCP part of the snapshot, compiled incrementally as part of SnapshotCompiler's commit: a
 * changed upstream server is reopened, and only the virtual servers that are or use a changed row
 * are rebuilt; every other compiled server and virtual server is shared with the previous snapshot
 * (so the data plane keeps what it built from them, see snapshotVirtualTargets).
 */
export class McpPart {
  readonly #open: Open | undefined;
  readonly #onInvalid: OnInvalid;
  /** An MCP server's own sealed material, by `<owner type>\n<server id>`. */
  readonly #sealed = new Map<string, string>();
  #sealedDirty = new Set<string>();
  readonly #servers = new Map<string, CompiledMcpServer>();
  /** The slug each compiled virtual server is held under, by its id (a rename moves it). */
  readonly #slugs = new Map<string, string>();
  /** The sign-in key each grant is held under, by its id. */
  readonly #grantKeys = new Map<string, string>();
  #snapshot: McpSnapshot = EMPTY;

  constructor(open: Open | undefined, onInvalid: OnInvalid) {
    this.#open = open;
    this.#onInvalid = onInvalid;
  }

  /** The MCP servers' own sealed material staged so far, by `<owner type>\n<server id>`. */
  get sealed(): ReadonlyMap<string, string> {
    return this.#sealed;
  }

  /** Records an MCP server's sealed material of one owner type (null: it has none now). */
  stageSecret(ownerType: string, serverId: string, ciphertext: string | null): void {
    const key = `${ownerType}\n${serverId}`;
    if (ciphertext === null) this.#sealed.delete(key);
    else this.#sealed.set(key, ciphertext);
    this.#sealedDirty.add(serverId);
  }

  /** Recompiles what the changes reach and returns the MCP part, sharing every compiled server and virtual server they do not. */
  commit(rows: McpRows, dirty: McpDirty): McpSnapshot {
    const prev = this.#snapshot;
    const servers = this.#commitServers(rows, dirty);
    const virtuals = new Set(dirty.virtuals);
    if (servers.size > 0) for (const v of rows.virtuals.values()) if (v.upstreamIds.some((id) => servers.has(id))) virtuals.add(v.id);
    if (virtuals.size === 0 && dirty.grants.size === 0 && dirty.bindings.size === 0 && dirty.versions.size === 0) return prev;
    this.#snapshot = {
      virtualServers: virtuals.size === 0 ? prev.virtualServers : this.#virtualServers(rows, virtuals, prev.virtualServers),
      signIns: dirty.grants.size === 0 ? prev.signIns : this.#signIns(rows, dirty.grants, prev.signIns),
      roleHolders: dirty.bindings.size === 0 ? prev.roleHolders : roleHolders(rows.bindings),
      workflowPins: virtuals.size === 0 && dirty.versions.size === 0 ? prev.workflowPins : this.#workflowPins(rows, dirty.versions, prev.workflowPins),
    };
    return this.#snapshot;
  }

  /** Reopens the upstream servers whose row, sealed material or backend credential changed; returns their ids. */
  #commitServers(rows: McpRows, dirty: McpDirty): Set<string> {
    const ids = new Set([...dirty.servers, ...this.#sealedDirty]);
    this.#sealedDirty = new Set();
    if (dirty.credentials.size > 0) {
      for (const s of rows.servers.values()) if (namedCredentials(s).some((id) => dirty.credentials.has(id))) ids.add(s.id);
    }
    for (const id of ids) {
      const server = rows.servers.get(id);
      this.#servers.delete(id);
      if (!server) continue;
      try {
        this.#servers.set(
          id,
          compileServer(server, rows.credentials, (ownerType, ownerId) => this.#opened(rows, ownerType, ownerId)),
        );
      } catch (err) {
        // The reason names the failure, never the material.
        this.#onInvalid('mcp-servers', id, `its secret material cannot be opened (${(err as Error).message})`);
      }
    }
    return ids;
  }

  #opened(rows: McpRows, ownerType: string, ownerId: string): string | undefined {
    const text = ownerType === BACKEND ? rows.credentialSecrets.get(ownerId) : this.#sealed.get(`${ownerType}\n${ownerId}`);
    if (text === undefined) return undefined;
    if (!this.#open) throw new Error('no secret box to open sealed material');
    return this.#open(text);
  }

  #virtualServers(rows: McpRows, ids: ReadonlySet<string>, prev: ReadonlyMap<string, CompiledVirtualMcp>): Map<string, CompiledVirtualMcp> {
    const out = new Map(prev);
    for (const id of ids) {
      const held = this.#slugs.get(id);
      if (held !== undefined && out.get(held)?.virtual.id === id) out.delete(held);
      this.#slugs.delete(id);
      const virtual = rows.virtuals.get(id);
      if (!virtual) continue;
      out.set(virtual.slug, { virtual, upstreams: virtual.upstreamIds.flatMap((u) => this.#servers.get(u) ?? []) });
      this.#slugs.set(id, virtual.slug);
    }
    return out;
  }

  #signIns(rows: McpRows, ids: ReadonlySet<string>, prev: ReadonlyMap<string, McpSignIn>): Map<string, McpSignIn> {
    const out = new Map(prev);
    for (const id of ids) {
      const held = this.#grantKeys.get(id);
      if (held !== undefined) out.delete(held);
      this.#grantKeys.delete(id);
      const g = rows.grants.get(id);
      if (!g) continue;
      out.set(g.oidcGrantId, { profileId: g.profileId, subject: g.subject, username: g.username, ...(g.issuer !== undefined ? { issuer: g.issuer } : {}) });
      this.#grantKeys.set(id, g.oidcGrantId);
    }
    return out;
  }

  /** The workflow versions virtual servers pin; a pinned version whose row did not change is kept as parsed. */
  #workflowPins(rows: McpRows, changed: ReadonlySet<string>, prev: ReadonlyMap<string, WorkflowInput>): Map<string, WorkflowInput> {
    const out = new Map<string, WorkflowInput>();
    for (const v of rows.virtuals.values()) {
      for (const w of v.workflows) {
        if (w.version === undefined) continue;
        const key = `${w.workflowId}@${w.version}`;
        if (out.has(key)) continue;
        const kept = changed.has(key) ? undefined : prev.get(key);
        if (kept !== undefined) {
          out.set(key, kept);
          continue;
        }
        const row = rows.versionRows.get(key);
        if (!row) continue;
        // As a proxy's pins are read (see workflowDefinitions): the version is the row id's.
        const parsed = WorkflowVersion.safeParse({ ...parseObject(row.data), version: w.version });
        if (parsed.success) out.set(key, parsed.data.definition);
        else this.#onInvalid(row.type, row.id, parsed.error.message);
      }
    }
    return out;
  }
}

/** The backend credentials a server's calls use: its OAuth credential and its stdio secret environment's. */
function namedCredentials(server: McpServer): string[] {
  const ids = Object.values(server.stdio?.secretEnv ?? {}).map((ref) => ref.credentialId);
  if (server.credentialId !== undefined) ids.push(server.credentialId);
  return ids;
}

/** Subjects and groups bound to some role (a few rows: rebuilt whole when one changes). */
function roleHolders(bindings: ReadonlyMap<string, RoleBinding>): McpSnapshot['roleHolders'] {
  const subjects = new Set<string>();
  const groups = new Set<string>();
  for (const b of bindings.values()) {
    if (b.subject !== undefined) subjects.add(b.subject);
    if (b.group !== undefined) groups.add(b.group);
  }
  return { subjects, groups };
}

function parseObject(data: string): Record<string, unknown> | null {
  try {
    return JSON.parse(data) as Record<string, unknown>;
  } catch {
    return null;
  }
}

function compileServer(
  server: McpServer,
  credentials: ReadonlyMap<string, BackendCredential>,
  opened: (ownerType: string, id: string) => string | undefined,
): CompiledMcpServer {
  const material = (id: string): BackendMaterial => {
    const text = opened(BACKEND, id);
    return text === undefined ? {} : (JSON.parse(text) as BackendMaterial);
  };
  const headersText = server.auth === 'static' ? opened(HEADERS, server.id) : undefined;
  const headers = headersText === undefined ? {} : (JSON.parse(headersText) as Record<string, string>);
  let oauth2: CompiledMcpServer['oauth2'];
  if (server.credentialId !== undefined) {
    const credential = credentials.get(server.credentialId);
    const auth = credential ? compileBackendAuth(credential, material(credential.id)) : null;
    oauth2 = auth?.kind === 'oauth2' ? auth : null;
  }
  const sealedEnvText = server.transport === 'stdio' ? opened(STDIO_SEALED_ENV, server.id) : undefined;
  const sealedEnv = sealedEnvText === undefined ? {} : (JSON.parse(sealedEnvText) as Record<string, string>);
  const stdio = server.transport === 'stdio' && server.stdio ? stdioLaunch(server, sealedEnv, credentials, material) : undefined;
  const clientSecret = server.auth === 'oauth_per_user' ? opened(OAUTH_CLIENT_SECRET, server.id) : undefined;
  const perUser: PerUserServer | null =
    server.auth === 'oauth_per_user' && server.oauth
      ? { id: server.id, name: server.name, url: server.url ?? '', oauth: server.oauth, ...(clientSecret !== undefined ? { clientSecret } : {}) }
      : null;
  return { server, headers, ...(oauth2 !== undefined ? { oauth2 } : {}), ...(stdio ? { stdio } : {}), perUser };
}

/** A stdio server's command with its secret environment (sealed values, then credentials) opened; a credential gone or unusable fails every use, naming it. */
function stdioLaunch(
  server: McpServer,
  sealedEnv: Readonly<Record<string, string>>,
  credentials: ReadonlyMap<string, BackendCredential>,
  material: (id: string) => BackendMaterial,
): StdioLaunch | GatehouseError {
  const stdio = server.stdio!;
  const env: Record<string, string> = { ...stdio.env, ...sealedEnv };
  const secrets: string[] = Object.values(sealedEnv);
  for (const [variable, ref] of Object.entries(stdio.secretEnv)) {
    const credential = credentials.get(ref.credentialId);
    const field = credential ? SECRET_ENV_FIELDS[credential.type] : undefined;
    const value = field && credential ? material(credential.id)[field] : undefined;
    if (typeof value !== 'string')
      return new GatehouseError(
        'GATEHOUSE_BACKEND_CREDENTIAL_UNAVAILABLE',
        `The stdio MCP server ${server.name} needs backend credential ${ref.credentialId} for ${variable}, and it is gone or unusable.`,
      );
    env[variable] = value;
    secrets.push(value);
  }
  return { command: stdio.command, args: stdio.args, ...(stdio.cwd !== undefined ? { cwd: stdio.cwd } : {}), env, secrets };
}
