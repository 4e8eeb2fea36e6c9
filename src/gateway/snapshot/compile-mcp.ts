import type { Kysely } from 'kysely';
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
import type { DB } from '../../store/schema.js';
import { type BackendMaterial, compileBackendAuth } from '../credentials/compile.js';
import type { BackendAuth } from '../credentials/types.js';
import type { PerUserServer } from '../federation/upstream-oauth.js';
import type { OwnedSealedRow, ResourceRow } from './load.js';

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

const MCP_TYPES = ['virtual-mcps', 'mcp-servers', 'mcp-grants', 'role-bindings', 'backend-credentials'];
// Owner types of the secrets table, as the management operations seal them.
const HEADERS = 'mcp-servers';
const OAUTH_CLIENT_SECRET = 'mcp-server-oauth-client';
const STDIO_SEALED_ENV = 'mcp-server-stdio-env';
const BACKEND = 'backend-credentials';
// Which field of a backend credential's material a stdio server's secret environment takes.
const SECRET_ENV_FIELDS: Record<string, keyof BackendMaterial> = { basic: 'password', api_key: 'value', oauth2_client_credentials: 'clientSecret' };

const VERSIONS = 'workflow-versions';

/** The changes (by audited resource type) that can alter the MCP part: its rows, their secrets, and pinned versions (written by `workflows` changes). */
export const MCP_CHANGE_TYPES: readonly string[] = [...MCP_TYPES, VERSIONS, 'workflows'];

/** The workflow versions virtual servers pin, as the ids of their rows (`<workflowId>@<version>`). */
function pinnedVersions(rows: readonly ResourceRow[]): Set<string> {
  const out = new Set<string>();
  for (const row of rows) {
    if (row.type !== 'virtual-mcps') continue;
    try {
      const { workflows } = JSON.parse(row.data) as { workflows?: { workflowId?: unknown; version?: unknown }[] };
      for (const w of workflows ?? []) if (typeof w.version === 'number') out.add(`${String(w.workflowId)}@${w.version}`);
    } catch {
      // An unreadable row is reported where it is compiled.
    }
  }
  return out;
}

/** Reads the rows the MCP part of the snapshot is compiled from (and the workflow versions it pins), and compiles it. */
export async function loadMcpSnapshot(db: Kysely<DB>, open: Open | undefined, onInvalid: OnInvalid): Promise<McpSnapshot> {
  const select = () => db.selectFrom('resources').select(['type', 'id', 'data', 'version', 'created_at', 'updated_at']);
  const rows: ResourceRow[] = await select().where('type', 'in', MCP_TYPES).execute();
  const pins = [...pinnedVersions(rows)];
  if (pins.length > 0) rows.push(...(await select().where('type', '=', VERSIONS).where('id', 'in', pins).execute()));
  const sealed = await db
    .selectFrom('secrets')
    .select(['owner_type', 'owner_id', 'ciphertext'])
    .where('owner_type', 'in', [HEADERS, OAUTH_CLIENT_SECRET, STDIO_SEALED_ENV, BACKEND])
    .execute();
  return compileMcp(rows, sealed, open, onInvalid);
}

/** Compiles virtual servers, their upstreams (secrets opened), sign-ins and role holders from stored rows. */
export function compileMcp(rows: readonly ResourceRow[], sealed: readonly OwnedSealedRow[], open: Open | undefined, onInvalid: OnInvalid): McpSnapshot {
  const byType = new Map<string, Array<Record<string, unknown> & { id: string; version: number }>>();
  const pins = pinnedVersions(rows);
  const workflowPins = new Map<string, WorkflowInput>();
  for (const row of rows) {
    if (row.type === VERSIONS && pins.has(row.id)) {
      // As a proxy's pins are read (see workflowDefinitions): the version is the row id's.
      const parsed = WorkflowVersion.safeParse({ ...parseObject(row.data), version: Number(row.id.slice(row.id.lastIndexOf('@') + 1)) });
      if (parsed.success) workflowPins.set(row.id, parsed.data.definition);
      else onInvalid(row.type, row.id, parsed.error.message);
      continue;
    }
    if (!MCP_TYPES.includes(row.type)) continue;
    let doc: Record<string, unknown>;
    try {
      doc = JSON.parse(row.data) as Record<string, unknown>;
    } catch {
      onInvalid(row.type, row.id, 'data is not JSON');
      continue;
    }
    const list = byType.get(row.type) ?? [];
    list.push({ ...doc, id: row.id, version: row.version, createdAt: row.created_at, updatedAt: row.updated_at });
    byType.set(row.type, list);
  }
  const secrets = new Map(sealed.map((s) => [`${s.owner_type}\n${s.owner_id}`, s.ciphertext]));
  const opened = (ownerType: string, id: string): string | undefined => {
    const text = secrets.get(`${ownerType}\n${id}`);
    if (text === undefined) return undefined;
    if (!open) throw new Error('no secret box to open sealed material');
    return open(text);
  };
  const credentials = new Map((byType.get('backend-credentials') ?? []).map((c) => [c.id, c as unknown as BackendCredential]));
  const servers = new Map<string, CompiledMcpServer>();
  for (const doc of byType.get('mcp-servers') ?? []) {
    try {
      servers.set(doc.id, compileServer(doc as unknown as McpServer, credentials, opened));
    } catch (err) {
      // The reason names the failure, never the material.
      onInvalid('mcp-servers', doc.id, `its secret material cannot be opened (${(err as Error).message})`);
    }
  }
  const virtualServers = new Map<string, CompiledVirtualMcp>();
  for (const doc of byType.get('virtual-mcps') ?? []) {
    const virtual = doc as unknown as VirtualMcp;
    const upstreams = virtual.upstreamIds.flatMap((id) => servers.get(id) ?? []);
    virtualServers.set(virtual.slug, { virtual, upstreams });
  }
  const signIns = new Map<string, McpSignIn>();
  for (const doc of byType.get('mcp-grants') ?? []) {
    const g = doc as unknown as McpGrant;
    signIns.set(g.oidcGrantId, { profileId: g.profileId, subject: g.subject, username: g.username, ...(g.issuer !== undefined ? { issuer: g.issuer } : {}) });
  }
  const subjects = new Set<string>();
  const groups = new Set<string>();
  for (const doc of byType.get('role-bindings') ?? []) {
    const b = doc as unknown as RoleBinding;
    if (b.subject !== undefined) subjects.add(b.subject);
    if (b.group !== undefined) groups.add(b.group);
  }
  return { virtualServers, signIns, roleHolders: { subjects, groups }, workflowPins };
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
