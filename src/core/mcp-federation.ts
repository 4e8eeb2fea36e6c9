import { z } from 'zod';
import { Description, Id, Name, Slug, Stored } from './common.js';
import { patchOf } from './patch.js';
import { WorkflowVersionNumber } from './workflow/ref.js';

// A header name as RFC 9110 tokens allow; compared lower-case.
const HeaderName = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'a header name');
const UpstreamUrl = z
  .url({ protocol: /^https?$/ })
  .max(2000)
  // Refinements run even when .url() failed: a string that is no URL must not throw here.
  .refine((u) => !URL.canParse(u) || (!new URL(u).username && !new URL(u).password && !new URL(u).hash), 'no credentials or fragment in the URL');

/**
 * How the gateway authenticates to an upstream MCP server: not at all, with static sealed headers,
 * as one service identity with an OAuth client-credentials token (from a backend credential), or
 * with each user's own token, obtained once with their consent at the upstream's authorization server.
 */
export const McpServerAuth = z.enum(['none', 'static', 'oauth_client_credentials', 'oauth_per_user']);

/**
 * For `oauth_per_user`: how the gateway is a client of the upstream's authorization server (found
 * through the upstream's RFC 9728 metadata, then RFC 8414 / OIDC discovery).
 */
export const McpServerOAuth = z.strictObject({
  /**
   * `preregistered`: a client id (and, for a confidential client, `oauthClientSecret`) registered by
   * hand; `dynamic`: RFC 7591 registration on first use; `metadata_document`: the gateway's own
   * Client ID Metadata Document URL is its client id.
   */
  registration: z.enum(['preregistered', 'dynamic', 'metadata_document']).default('dynamic'),
  clientId: z.string().min(1).max(2_000).optional(),
  /** The scope asked for at the upstream (space-separated); absent: what its metadata says it supports, or none. */
  scope: z.string().min(1).max(1_000).optional(),
});
export type McpServerOAuth = z.output<typeof McpServerOAuth>;

/** How the gateway reaches an upstream: Streamable HTTP at `url`, or JSON-RPC over the stdin/stdout of a child process it runs (`stdio`). */
export const McpServerTransport = z.enum(['http', 'stdio']);

// Text handed to execve: a NUL would cut it short (and Node refuses it), so it is refused here with a clear message.
const noNul = (max: number, min = 0) =>
  z
    .string()
    .min(min)
    .max(max)
    .refine((v) => !v.includes('\0'), 'no NUL character');
const EnvName = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name (letters, digits, _)');

/** An environment value taken from a backend credential's sealed secret (`basic`: its password, `api_key`: its value, `oauth2_client_credentials`: its client secret). */
export const StdioSecretEnv = z.strictObject({ credentialId: Id });

/**
 * A stdio upstream: the program the gateway starts (never through a shell: `command` is the
 * executable, `args` its argument list, as given) and what it gets. The environment holds only
 * `env`, `secretEnv`, the server's `sealedEnv` and a few basics (PATH, HOME, …), never the gateway's own.
 */
export const StdioCommand = z.strictObject({
  /** The executable: a path, or a name looked up on PATH. */
  command: noNul(4_096, 1),
  args: z.array(noNul(16_384)).max(256).default([]),
  /** The working directory (absolute); absent: the gateway's. */
  cwd: noNul(4_096)
    .refine((d) => d.startsWith('/') || /^[A-Za-z]:[\\/]/.test(d), 'an absolute path')
    .optional(),
  /** Plain environment values (stored and returned as they are: put secrets in the server's `sealedEnv`, or `secretEnv`). */
  env: z.record(EnvName, noNul(16_384)).default({}),
  /** Environment values from backend credentials: sealed there, never returned, opened only to start the child. */
  secretEnv: z.record(EnvName, StdioSecretEnv).default({}),
});
export type StdioCommand = z.output<typeof StdioCommand>;

const McpServerSettings = {
  name: Name,
  description: Description.default(''),
  transport: McpServerTransport.default('http'),
  /** The upstream's Streamable HTTP endpoint (transport `http`). */
  url: UpstreamUrl.optional(),
  /** The program to run (transport `stdio`). */
  stdio: StdioCommand.optional(),
  auth: McpServerAuth.default('none'),
  /**
   * For `oauth_client_credentials`: the `oauth2_client_credentials` backend credential whose token
   * the gateway sends (its secret is sealed there; tokens are cached and refreshed before expiry).
   */
  credentialId: Id.optional(),
  /** For `oauth_per_user`: how the gateway registers at the upstream's authorization server and what it asks for. */
  oauth: McpServerOAuth.optional(),
  /** Connect plus one request/response, in milliseconds. */
  timeoutMs: z.number().int().min(100).max(300_000).default(30_000),
  /** Tool results longer than this (characters of text content) are cut, with the cut marked. */
  maxResultChars: z.number().int().min(1_000).max(10_000_000).default(100_000),
  /** How long the upstream's tool definitions are reused before they are fetched again (a list-changed notification or a settings change refetches sooner). */
  definitionsTtlMs: z.number().int().min(0).max(86_400_000).default(60_000),
  /**
   * Whether the gateway may reach this server at a loopback, private or link-local address (an MCP
   * server inside the network), for testing, curating and calls alike, where the deployment does not
   * allow it for every server (GATEHOUSE_MCP_ALLOW_PRIVATE_UPSTREAMS). Only admins set it.
   */
  allowPrivateNetwork: z.boolean().default(false),
};

const OAuthClientSecret = z.string().min(1).max(4_096);
/** A stdio child's secret environment typed as values: sealed at rest, opened only to start the child, never returned. */
const SealedEnv = z.record(EnvName, noNul(16_384, 1));

/**
 * What create takes. `headers` (for `static`) and `oauthClientSecret` (for a pre-registered
 * confidential client) are secret: sealed at rest, sent only upstream, never returned.
 */
export const McpServerInput = z
  .strictObject({
    ...McpServerSettings,
    headers: z.record(HeaderName, z.string().min(1).max(4_096)).optional(),
    oauthClientSecret: OAuthClientSecret.optional(),
    /** A stdio server's secret environment values (sealed: reads show `sealedEnvNames` only). */
    sealedEnv: SealedEnv.optional(),
  })
  .refine((s) => (s.transport === 'http') === (s.url !== undefined), { message: 'transport http needs url (and only it takes one)', path: ['url'] })
  .refine((s) => (s.transport === 'stdio') === (s.stdio !== undefined), { message: 'transport stdio needs stdio (and only it takes one)', path: ['stdio'] })
  .refine((s) => s.transport === 'http' || s.auth === 'none', { message: 'a stdio server takes auth none (its secrets go in stdio.secretEnv)', path: ['auth'] })
  .refine((s) => Object.keys(s.stdio?.env ?? {}).every((name) => s.stdio?.secretEnv[name] === undefined), {
    message: 'a variable is either in env or in secretEnv',
    path: ['stdio', 'secretEnv'],
  })
  .refine((s) => s.sealedEnv === undefined || s.transport === 'stdio', { message: 'sealedEnv is only for transport stdio', path: ['sealedEnv'] })
  .refine((s) => Object.keys(s.sealedEnv ?? {}).every((name) => s.stdio?.env[name] === undefined && s.stdio?.secretEnv[name] === undefined), {
    message: 'a variable is in one of env, secretEnv and sealedEnv',
    path: ['sealedEnv'],
  })
  .refine((s) => s.auth !== 'static' || (s.headers !== undefined && Object.keys(s.headers).length > 0), {
    message: 'auth static needs at least one header',
    path: ['headers'],
  })
  .refine((s) => s.auth === 'static' || s.headers === undefined, { message: 'headers are only for auth static', path: ['headers'] })
  .refine((s) => (s.auth === 'oauth_client_credentials') === (s.credentialId !== undefined), {
    message: 'auth oauth_client_credentials needs credentialId (and only it takes one)',
    path: ['credentialId'],
  })
  .refine((s) => (s.auth === 'oauth_per_user') === (s.oauth !== undefined), {
    message: 'auth oauth_per_user needs oauth (and only it takes one)',
    path: ['oauth'],
  })
  .refine((s) => s.oauth?.registration !== 'preregistered' || s.oauth.clientId !== undefined, {
    message: 'a preregistered client needs clientId',
    path: ['oauth', 'clientId'],
  })
  .refine((s) => s.oauth === undefined || s.oauth.registration === 'preregistered' || s.oauth.clientId === undefined, {
    message: 'clientId is only for a preregistered client',
    path: ['oauth', 'clientId'],
  })
  .refine((s) => s.oauthClientSecret === undefined || s.oauth?.registration === 'preregistered', {
    message: 'oauthClientSecret is only for a preregistered client',
    path: ['oauthClientSecret'],
  });
export type McpServerInput = z.output<typeof McpServerInput>;

/** Update: any field; `headers`, when given, replaces the sealed set. */
export const McpServerPatch = z.strictObject({
  name: Name.optional(),
  description: Description.optional(),
  transport: McpServerTransport.optional(),
  url: UpstreamUrl.nullable().optional(),
  /** Replaces the whole command (its secretEnv names credentials, so nothing sealed is lost). */
  stdio: StdioCommand.nullable().optional(),
  auth: McpServerAuth.optional(),
  credentialId: Id.nullable().optional(),
  oauth: McpServerOAuth.nullable().optional(),
  /** Replaces the sealed client secret; null removes it. */
  oauthClientSecret: OAuthClientSecret.nullable().optional(),
  timeoutMs: McpServerSettings.timeoutMs.unwrap().optional(),
  maxResultChars: McpServerSettings.maxResultChars.unwrap().optional(),
  definitionsTtlMs: McpServerSettings.definitionsTtlMs.unwrap().optional(),
  allowPrivateNetwork: z.boolean().optional(),
  headers: z.record(HeaderName, z.string().min(1).max(4_096)).nullable().optional(),
  /** Replaces the sealed secret environment of a stdio server; null removes it. */
  sealedEnv: SealedEnv.nullable().optional(),
});

/**
 * How an upstream has been answering, as the gateway's nodes saw it (the latest any node wrote):
 * its last successful exchange, its last error, when a session it had forgotten was last re-opened,
 * the state of the writing node's sessions there, its tools count, and restarts (stdio upstreams
 * the node supervises; null for HTTP ones).
 */
export const McpServerHealth = z.object({
  lastSuccessAt: z.string().nullable(),
  lastError: z.object({ at: z.string(), message: z.string() }).nullable(),
  lastReinitializedAt: z.string().nullable(),
  /** `open`: a session with an `Mcp-Session-Id`; `stateless`: connected, the upstream keeps no session; `connecting`; `idle`: no session held (none yet, or closed after idling); `failed`: the last connection attempt failed. */
  session: z.enum(['open', 'stateless', 'connecting', 'idle', 'failed']),
  toolsCount: z.number().int().nullable(),
  restarts: z.number().int().nullable(),
  updatedAt: z.string(),
});
export type McpServerHealth = z.infer<typeof McpServerHealth>;
/** This node's child process of a stdio server, as reads show it (each node runs its own). */
export const StdioProcessStatus = z.object({
  running: z.boolean(),
  pid: z.number().int().optional(),
  /** Times the child was started again after it exited on its own (or was killed for its output), since this node started. */
  restarts: z.number().int(),
  startedAt: z.string().optional(),
  /** When and why its last child ended: exited on its own, killed for its output, stopped by the gateway. */
  lastExit: z.object({ at: z.string(), reason: z.string() }).optional(),
});
export type StdioProcessStatus = z.infer<typeof StdioProcessStatus>;

/** An upstream MCP server as stored and read: the names of its sealed headers, never their values. */
export const McpServer = z.object({
  ...Stored,
  name: z.string(),
  description: z.string(),
  // Absent on servers stored before stdio existed: they are HTTP.
  transport: McpServerTransport.default('http'),
  url: z.string().optional(),
  /** A stdio server's command; `secretEnv` names the credentials, never their values. */
  stdio: StdioCommand.optional(),
  /** A stdio server's child on the node that answered (not stored). */
  process: StdioProcessStatus.optional(),
  auth: McpServerAuth,
  credentialId: z.string().optional(),
  oauth: McpServerOAuth.optional(),
  /** Whether a pre-registered client secret is sealed for this server (its value is never returned). */
  hasOAuthClientSecret: z.boolean().default(false),
  timeoutMs: z.number().int(),
  maxResultChars: z.number().int(),
  // Absent on servers stored before the setting existed: the default applies.
  definitionsTtlMs: z.number().int().default(60_000),
  // Absent on servers stored before the setting existed: not allowed.
  allowPrivateNetwork: z.boolean().default(false),
  headerNames: z.array(z.string()),
  /** The names of a stdio server's sealed environment values, never the values (none on servers stored before they existed). */
  sealedEnvNames: z.array(z.string()).default([]),
  /** On reads: how it has been answering; null until a node has called it. */
  health: McpServerHealth.nullable().optional(),
});
export type McpServer = z.infer<typeof McpServer>;

/** Tool annotations an admin sets over the upstream's (a client uses them to decide what to confirm with the user). */
export const AnnotationOverrides = z.strictObject({
  readOnlyHint: z.boolean().optional(),
  destructiveHint: z.boolean().optional(),
  idempotentHint: z.boolean().optional(),
  openWorldHint: z.boolean().optional(),
});

/** At most `limit` calls of one tool per user (or service account) per window. */
export const ToolRateLimit = z.strictObject({
  window: z.enum(['second', 'minute', 'hour', 'day']),
  limit: z.number().int().min(1).max(1_000_000_000),
});

/**
 * Who may use a virtual server, beyond holding a role on the gateway: any listed user (id or
 * username), member of a listed group, or listed service account (id, name or client id). Absent:
 * everyone with a role.
 */
export const VirtualMcpAccess = z.strictObject({
  users: z.array(z.string().min(1).max(200)).max(1_000).default([]),
  groups: z.array(z.string().min(1).max(200)).max(1_000).default([]),
  serviceAccounts: z.array(z.string().min(1).max(200)).max(1_000).default([]),
});
export type VirtualMcpAccess = z.output<typeof VirtualMcpAccess>;

/** Who asks to use a virtual server, as its access list names people and service accounts. */
export interface VirtualMcpCaller {
  kind: 'user' | 'service';
  subject: string;
  name: string;
  groups: readonly string[];
  clientId?: string | undefined;
}

/**
 * Whether a principal is on a virtual server's access list: a user by id or username, a service
 * account by id, name or client id, anyone by a group they are in. No list: everyone who may use
 * virtual servers at all.
 */
export function mayAccess(access: VirtualMcpAccess | undefined, who: VirtualMcpCaller): boolean {
  if (access === undefined) return true;
  if (who.groups.some((g) => access.groups.includes(g))) return true;
  if (who.kind === 'user') return access.users.includes(who.subject) || access.users.includes(who.name);
  return [who.subject, who.name, who.clientId].some((id) => id !== undefined && access.serviceAccounts.includes(id));
}

/** One curated tool of a virtual server: which upstream tool, and how the model sees it. */
export const CuratedTool = z.strictObject({
  upstreamId: Id,
  /** The tool's name at the upstream. */
  name: z.string().min(1).max(128),
  /** The name shown downstream (before the per-upstream prefix, when several upstreams are composed). */
  rename: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . -')
    .optional(),
  description: Description.optional(),
  /** Shown over the upstream's annotations. */
  annotations: AnnotationOverrides.optional(),
  /** Per user (or service account), counted on every node alike (the gateway's limiter). */
  rateLimit: ToolRateLimit.optional(),
  /**
   * The approved upstream definition's hash (`sha256:…`). Recorded when the tool is curated; a
   * definition the upstream changes no longer matches and is withheld until approved again.
   */
  pin: z
    .string()
    .regex(/^sha256:[0-9a-f]{64}$/, 'sha256:<64 hex digits>')
    .optional(),
});
export type CuratedTool = z.infer<typeof CuratedTool>;

/**
 * One of the gateway's own published REST operations served as a tool of a virtual server. Calls run
 * through the REST pipeline as the caller's profile (see docs/guides/mcp-gateway-and-virtual-servers.md).
 */
export const RestTool = z.strictObject({
  /**
   * The published endpoint: its id, `METHOD /path` as the catalog lists it, `<collection slug>:<operationId>`,
   * or its OpenAPI operationId alone when no other endpoint of the catalog has it.
   */
  operation: z.string().min(1).max(2_000),
  /** The tool name clients see (no `__`, which is how upstream tools are prefixed). */
  name: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . -')
    .refine((n) => !n.includes('__'), 'no "__" (the prefix separator of upstream tools)'),
  /** Shown instead of the operation's summary and description. */
  description: Description.optional(),
  /** Shown over the hints derived from the method (GET/HEAD read-only, DELETE destructive, PUT idempotent). */
  annotations: AnnotationOverrides.optional(),
  /** Per user (or service account), as for curated tools; the policy's limits apply besides, as on REST. */
  rateLimit: ToolRateLimit.optional(),
  /**
   * The approved contract's hash (`sha256:…`): of the definition the operation gives (schemas,
   * description, hints, without the name and this tool's overrides). Recorded when the tool is
   * added; a re-import or edit that changes the contract no longer matches, and the tool is withheld
   * until an admin approves the new contract (virtual-mcps approve-tools), as a changed upstream tool is.
   */
  pin: z
    .string()
    .regex(/^sha256:[0-9a-f]{64}$/, 'sha256:<64 hex digits>')
    .optional(),
});
export type RestTool = z.infer<typeof RestTool>;

const RestTools = z
  .array(RestTool)
  .max(500)
  .refine((tools) => new Set(tools.map((t) => t.name)).size === tools.length, 'each REST tool needs a name of its own');

/** One curated prompt: which upstream prompt, and its name downstream (before the per-upstream prefix). */
export const CuratedPrompt = z.strictObject({
  upstreamId: Id,
  name: z.string().min(1).max(128),
  rename: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . -')
    .optional(),
});
export type CuratedPrompt = z.infer<typeof CuratedPrompt>;

/** One curated resource, by its URI at the upstream (listed and readable as it is). */
export const CuratedResource = z.strictObject({ upstreamId: Id, uri: z.string().min(1).max(2_000) });
export type CuratedResource = z.infer<typeof CuratedResource>;

/** A workflow attached to a virtual server: its calls of the named tools run it, or of every tool, prompt and resource when none are named. */
export const VirtualMcpWorkflow = z.strictObject({
  workflowId: Id,
  /** The version its calls run, pinned as a proxy pins one; absent: the latest. */
  version: WorkflowVersionNumber.optional(),
  /** Tools as the virtual server shows them; absent: every call. A tool named here runs this workflow over one attached to all. */
  tools: z.array(z.string().min(1).max(200)).min(1).max(500).optional(),
});
export type VirtualMcpWorkflow = z.infer<typeof VirtualMcpWorkflow>;

/**
 * The context budget of a virtual server, in o200k_base tokens: over it, its tools/list shows the
 * search-mode tools (search, describe, call) instead of every tool. Bounded so a typo cannot ask for
 * a budget no model has.
 */
export const ContextBudget = z.number().int().min(100).max(10_000_000);
/** The most tokens of a tool result's text a virtual server returns; past it the text is cut, with a note the model can act on. */
export const MaxResultTokens = z.number().int().min(100).max(10_000_000);

export const VirtualMcpInput = z
  .strictObject({
    slug: Slug,
    name: Name,
    description: Description.default(''),
    /** The upstream servers composed; with several, each tool is prefixed `<upstream name>__`. None: a server of REST tools only. */
    upstreamIds: z.array(Id).max(50),
    /** The allowlist: only these tools are listed and callable. */
    tools: z.array(CuratedTool).max(5_000).default([]),
    /** The gateway's own REST operations served as tools, beside the curated upstream tools. */
    restTools: RestTools.default([]),
    /** The prompt allowlist (passed through from the upstreams). */
    prompts: z.array(CuratedPrompt).max(1_000).default([]),
    /** The resource allowlist (passed through from the upstreams). */
    resources: z.array(CuratedResource).max(1_000).default([]),
    access: VirtualMcpAccess.optional(),
    /** Workflows its calls run (request nodes before the upstream, response nodes on the result). */
    workflows: z.array(VirtualMcpWorkflow).max(20).default([]),
    /** Max tokens of its tool listing; over it the server switches to search mode (see ContextBudget). Absent or null: no budget. */
    contextBudget: ContextBudget.nullable().optional(),
    /** Max tokens of one tool result's text (see MaxResultTokens). Absent or null: only the upstream's maxResultChars applies. */
    maxResultTokens: MaxResultTokens.nullable().optional(),
    published: z.boolean().default(false),
  })
  .refine((v) => v.upstreamIds.length > 0 || v.restTools.length > 0, {
    message: 'a virtual server composes at least one upstream MCP server or serves REST tools',
    path: ['upstreamIds'],
  })
  .refine((v) => v.tools.every((t) => v.upstreamIds.includes(t.upstreamId)), {
    message: 'every curated tool must come from one of upstreamIds',
    path: ['tools'],
  })
  .refine((v) => [...v.prompts, ...v.resources].every((t) => v.upstreamIds.includes(t.upstreamId)), {
    message: 'every curated prompt and resource must come from one of upstreamIds',
    path: ['prompts'],
  });
export type VirtualMcpInput = z.output<typeof VirtualMcpInput>;
export const VirtualMcpPatch = patchOf(
  z.strictObject({
    slug: Slug,
    name: Name,
    description: Description,
    upstreamIds: z.array(Id).max(50),
    tools: z.array(CuratedTool).max(5_000),
    restTools: RestTools,
    prompts: z.array(CuratedPrompt).max(1_000),
    resources: z.array(CuratedResource).max(1_000),
    access: VirtualMcpAccess,
    workflows: z.array(VirtualMcpWorkflow).max(20),
    published: z.boolean(),
  }),
).extend({
  /** A number sets the budget; null removes it (the full listing again). */
  contextBudget: ContextBudget.nullable().optional(),
  /** A number sets the result cap; null removes it. */
  maxResultTokens: MaxResultTokens.nullable().optional(),
  /** Merged into the current access list; null removes it (everyone with a role may use the server again). */
  access: patchOf(VirtualMcpAccess).nullable().optional(),
});
export const VirtualMcp = z.object({
  ...Stored,
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  upstreamIds: z.array(z.string()),
  tools: z.array(CuratedTool),
  // Absent on servers stored before REST operations could be tools.
  restTools: z.array(RestTool).default([]),
  // Absent on servers stored before prompts and resources could be curated.
  prompts: z.array(CuratedPrompt).default([]),
  resources: z.array(CuratedResource).default([]),
  access: VirtualMcpAccess.optional(),
  // Absent on servers stored before workflows could be attached.
  workflows: z.array(VirtualMcpWorkflow).default([]),
  contextBudget: z.number().int().nullable().optional(),
  maxResultTokens: z.number().int().nullable().optional(),
  published: z.boolean(),
});
export type VirtualMcp = z.infer<typeof VirtualMcp>;

/** Headers of one upstream request that can go stale (an access token), and how to say the upstream refused them. */
export interface DynamicHeaders {
  headers: Record<string, string>;
  /** The upstream answered 401: forget the token so the next request gets a new one. */
  refused(): void;
}

/** One upstream MCP server as the federation endpoint calls it, with its opened static headers. */
export interface UpstreamTarget {
  id: string;
  /** Changes with every change of the server's settings or credentials: pooled clients and cached definitions are keyed by it. */
  version: number;
  name: string;
  url: string;
  timeoutMs: number;
  maxResultChars: number;
  /** Sent on every upstream request; never shown downstream. */
  headers: Readonly<Record<string, string>>;
  /** A stdio upstream: the child to run (its secret environment opened) instead of `url`. */
  stdio?: StdioLaunch;
  /** Headers obtained afresh for each request (a cached OAuth access token), when the server has them. */
  dynamicHeaders?: () => Promise<DynamicHeaders>;
  /** How long a fetched tool list is reused before it is fetched again. */
  definitionsTtlMs: number;
  /** Whether `url` may be at a loopback, private or link-local address: the deployment's setting or the server's (see mayReachPrivateNetwork). */
  allowPrivateNetwork: boolean;
  /**
   * Whose upstream session a call belongs to (the caller's subject): calls with one scope continue
   * one upstream session, on any node; unscoped calls share the node's session of the upstream.
   */
  sessionScope?: string;
  /**
   * The client capabilities a scoped HTTP session declares at its `initialize`: its caller's, so the
   * upstream may ask that caller (sampling, elicitation, roots) from inside a task. Its scope names
   * them too: a session is one set of declared capabilities.
   */
  declares?: { sampling?: boolean; elicitation?: boolean; urlElicitation?: boolean; roots?: boolean };
  /**
   * For an `oauth_per_user` server: the target as one user calls it, with that user's token (scoped
   * to their session). Its headers getter fails with GATEHOUSE_MCP_CONNECT_REQUIRED when the user has not connected.
   */
  forUser?: (subject: string) => UpstreamTarget;
}

/**
 * The one rule for reaching an upstream MCP server at a loopback, private or link-local address,
 * for probing, curating and calls alike: the deployment allows it for every server
 * (GATEHOUSE_MCP_ALLOW_PRIVATE_UPSTREAMS), or an admin allowed it for this one (`allowPrivateNetwork`).
 */
export function mayReachPrivateNetwork(deploymentAllows: boolean, server: { allowPrivateNetwork?: boolean | undefined }): boolean {
  return deploymentAllows || server.allowPrivateNetwork === true;
}

/** How the gateway starts a stdio upstream's child: the stored command with `secretEnv` opened into `env`. */
export interface StdioLaunch {
  command: string;
  args: readonly string[];
  cwd?: string;
  env: Readonly<Record<string, string>>;
  /** The opened secret values (cut from whatever the child answers, like sealed headers). */
  secrets: readonly string[];
}

/** A virtual MCP server resolved for one request: its curated tools and the upstreams they come from. */
export interface VirtualTarget {
  slug: string;
  /** The virtual server's stored version (with its upstreams' versions, what a built tool set is cached by). */
  version: number;
  name: string;
  description: string;
  published: boolean;
  upstreams: readonly UpstreamTarget[];
  tools: readonly CuratedTool[];
  /** The gateway's own REST operations it serves as tools. */
  restTools: readonly RestTool[];
  prompts: readonly CuratedPrompt[];
  resources: readonly CuratedResource[];
  access: VirtualMcpAccess | undefined;
  workflows: readonly VirtualMcpWorkflow[];
  /** Over this many tokens of listing, the server lists the search-mode tools (absent: no budget). */
  contextBudget?: number | undefined;
  /** Tool results' text past this many tokens is cut with a note (absent: no cut by tokens). */
  maxResultTokens?: number | undefined;
}

/** Finds a virtual MCP server by slug (null when there is none). */
export type ResolveVirtual = (slug: string) => Promise<VirtualTarget | null>;

/** A person's connection to an `oauth_per_user` upstream MCP server, as reads show it (never its tokens). */
export const McpConnection = z.object({
  serverId: z.string(),
  /** The upstream server's name (empty when it no longer exists). */
  server: z.string(),
  /** The gateway user the upstream tokens act for. */
  subject: z.string(),
  username: z.string(),
  /** The scope the upstream granted. */
  scope: z.string(),
  /** When the current access token expires (it is refreshed before); null when the upstream did not say. */
  expiresAt: z.string().nullable(),
  connectedAt: z.string(),
  updatedAt: z.string(),
});
export type McpConnection = z.infer<typeof McpConnection>;

/**
 * The name clients receive for a curated tool or prompt: its rename or upstream name, prefixed
 * `<upstream>__` (the upstream's name made tool-name-safe) when the virtual server composes several upstreams.
 */
export function servedName(upstreamName: string, shown: string, composed: boolean): string {
  return composed ? `${upstreamName.toLowerCase().replace(/[^a-z0-9_-]+/g, '_')}__${shown}` : shown;
}
