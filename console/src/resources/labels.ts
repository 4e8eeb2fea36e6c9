/** How the console names a resource, and what it tells someone looking at an empty list of them. */
export interface ResourceLabel {
  plural: string;
  singular: string;
  /** One line: what these are. */
  explain: string;
  /** What to do first when there are none (shown with the "New …" link where the user may create one). */
  next: string;
}

/**
 * The label table: every resource the registry has today, in people's words. A resource added to the
 * registry later gets a label made from its name (`mcp-things` → "Mcp things") until it is added here.
 */
export const LABELS: Record<string, ResourceLabel> = {
  collections: {
    plural: 'Collections',
    singular: 'collection',
    explain: 'Published groups of endpoints; the unit clients are granted.',
    next: 'Create one on the Catalog page.',
  },
  proxies: {
    plural: 'Proxies',
    singular: 'proxy',
    explain: 'A base path in a collection and the upstream it forwards to.',
    next: 'Import an OpenAPI document into a collection on the Catalog page.',
  },
  endpoints: {
    plural: 'Endpoints',
    singular: 'endpoint',
    explain: 'The operations a proxy serves, with their contracts.',
    next: 'Import an OpenAPI document to create them.',
  },
  'backend-credentials': {
    plural: 'Backend credentials',
    singular: 'backend credential',
    explain: 'How the gateway signs in to upstreams: basic, API key, OAuth client credentials, mTLS.',
    next: 'Add one, then pick it on a proxy or an MCP server.',
  },
  policies: {
    plural: 'Policies',
    singular: 'policy',
    explain: 'Rate limits and quotas that clients and profiles follow.',
    next: 'Create a policy, then pick it on a client.',
  },
  clients: { plural: 'Clients', singular: 'client', explain: 'Apps and partners that call your APIs.', next: 'Create one on the Clients page.' },
  profiles: {
    plural: 'Profiles',
    singular: 'profile',
    explain: 'How a client authenticates: token, JWT, OIDC, mTLS or none.',
    next: 'Open a client and add a token profile.',
  },
  credentials: { plural: 'Credentials', singular: 'credential', explain: 'Consumer tokens issued for a profile.', next: 'Issue one from a profile’s page.' },
  'mcp-grants': {
    plural: 'MCP grants',
    singular: 'MCP grant',
    explain: 'People who signed in to the Gateway MCP through an AI app, and the profile they act as.',
    next: 'They appear when someone connects an AI client to /mcp and signs in.',
  },
  'role-bindings': {
    plural: 'Role bindings',
    singular: 'role binding',
    explain: 'Who holds which role (viewer, modifier, admin) on the gateway.',
    next: 'Add one on the Access page.',
  },
  'service-accounts': {
    plural: 'Service accounts',
    singular: 'service account',
    explain: 'Identities for CI and agents (client credentials).',
    next: 'Create one on the Access page.',
  },
  users: { plural: 'Users', singular: 'user', explain: 'People who sign in to the gateway.', next: 'Create one on the Access page.' },
  'audit-logs': {
    plural: 'Audit log',
    singular: 'audit entry',
    explain: 'Every change, who made it and through which channel.',
    next: 'Entries appear with the first change.',
  },
  metrics: { plural: 'Metrics', singular: 'metric', explain: 'Traffic rollups behind the Overview.', next: 'Send a call through the gateway.' },
  'request-logs': { plural: 'Request logs', singular: 'request log', explain: 'Every call through the gateway.', next: 'Send a call through the gateway.' },
  'mcp-analytics': {
    plural: 'MCP analytics',
    singular: 'MCP analytics',
    explain: 'Federated tool calls per server, tool and user.',
    next: 'Call a tool of a virtual MCP server.',
  },
  workflows: {
    plural: 'Workflows',
    singular: 'workflow',
    explain: 'Steps a call runs through (auth checks, transforms, mocks, caches).',
    next: 'Create one from a template (guardrails: PII redaction, prompt-injection block, approval of destructive calls) or a blank one.',
  },
  'mcp-servers': {
    plural: 'MCP servers',
    singular: 'MCP server',
    explain: 'Upstream MCP servers the gateway can put behind virtual servers.',
    next: 'Add one on the MCP servers page and test its connection.',
  },
  'mcp-connections': {
    plural: 'MCP connections',
    singular: 'MCP connection',
    explain: 'People’s own accounts at per-user (OAuth) MCP servers.',
    next: 'They appear when someone follows a connect link from a per-user server.',
  },
  'virtual-mcps': {
    plural: 'Virtual MCP servers',
    singular: 'virtual MCP server',
    explain: 'Curated tools of upstream MCP servers behind one URL, /mcp/v/{slug}.',
    next: 'Build one on the Virtual MCP servers page by picking tools.',
  },
  approvals: {
    plural: 'Approvals',
    singular: 'approval',
    explain: 'Calls a tool policy held for a person’s decision.',
    next: 'Decide them on the Approvals page; they appear when a tool_policy rule decides approval.',
  },
  jobs: {
    plural: 'Jobs',
    singular: 'job',
    explain: 'Long changes run in the background (declarative applies): their progress, then their result or error.',
    next: 'Run one with gatehouse apply; the Jobs page follows them.',
  },
  'trusted-idps': {
    plural: 'Trusted IdPs',
    singular: 'trusted IdP',
    explain: 'Identity providers whose ID-JAGs (MCP Enterprise-Managed Authorization) the gateway accepts, and the groups they carry.',
    next: 'Add your company’s IdP by its issuer to let people sign in to MCP servers through it.',
  },
  config: { plural: 'Declarative config', singular: 'config', explain: 'Export, plan and apply the whole configuration as one YAML file.', next: 'Export it.' },
};

/** `mcpTool` → `Mcp tool`, `virtual-mcps` → `Virtual mcps`: the fallback for names the tables do not know. */
export function humanize(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[-_.]/g, ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function labelOfResource(name: string): ResourceLabel {
  const known = LABELS[name];
  if (known) return known;
  const plural = humanize(name);
  return { plural, singular: plural.toLowerCase().replace(/ies$/, 'y').replace(/s$/, ''), explain: '', next: '' };
}

/** Field names people read differently from how the API spells them. */
const FIELDS: Record<string, string> = {
  id: 'ID',
  url: 'URL',
  slug: 'Slug',
  policyId: 'Policy',
  workflowId: 'Workflow',
  workflowVersion: 'Workflow version',
  backendCredentialId: 'Backend credential',
  credentialId: 'Backend credential',
  profileId: 'Profile',
  clientId: 'Client',
  collectionId: 'Collection',
  collectionIds: 'Collections',
  proxyId: 'Proxy',
  endpointId: 'Endpoint',
  serverId: 'MCP server',
  upstreamIds: 'Upstream MCP servers',
  upstreams: 'Upstream targets',
  ipAllowlist: 'IP allowlist',
  mcpExposed: 'Exposed as an MCP tool',
  timeoutMs: 'Timeout (ms)',
  maxResultChars: 'Largest tool result (characters)',
  definitionsTtlMs: 'Reuse tool definitions for (ms)',
  maxRequestBodyBytes: 'Largest request body (bytes)',
  connectMs: 'Connect timeout (ms)',
  responseMs: 'Response timeout (ms)',
  tls: 'TLS',
  caBundle: 'CA bundle (PEM)',
  createdAt: 'Created',
  updatedAt: 'Updated',
  expiresAt: 'Expires',
  oauth: 'OAuth',
  oidcSignIn: 'OIDC sign-in',
  jwt: 'JWT',
};

export function labelOfField(name: string): string {
  return FIELDS[name] ?? humanize(name);
}

/**
 * Fields that hold ids of other resources, and which resource: a picker by name, and a link on the
 * detail page. Keyed `resource.field` where a field name means something else in one resource
 * (a backend credential's `clientId` is an OAuth client id, not a Gatehouse client).
 */
const REFERENCES: Record<string, string | null> = {
  policyId: 'policies',
  workflowId: 'workflows',
  backendCredentialId: 'backend-credentials',
  credentialId: 'backend-credentials',
  profileId: 'profiles',
  clientId: 'clients',
  collectionId: 'collections',
  collectionIds: 'collections',
  proxyId: 'proxies',
  endpointId: 'endpoints',
  serverId: 'mcp-servers',
  upstreamIds: 'mcp-servers',
  upstreamId: 'mcp-servers',
  'access.users': 'users',
  'access.serviceAccounts': 'service-accounts',
  'backend-credentials.clientId': null,
  'service-accounts.clientId': null,
};

/** The resource a field of this resource refers to, if it holds ids of one. */
export function referenceOf(resource: string, field: string): string | undefined {
  const specific = REFERENCES[`${resource}.${field}`];
  if (specific !== undefined) return specific ?? undefined;
  return REFERENCES[field] ?? undefined;
}
