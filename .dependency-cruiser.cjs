// The layering of DESIGN.md §3 as a dependency graph checked by dependency-cruiser (`npm run lint`):
// arrows point inward, adapters use the gateway's doors, and each layer imports only from the
// layers on its allowlist below. Test files are outside the graph (they may reach anything).

/** The gateway's public doors: the data plane's index, and those of limits, federation and networking. */
const DOORS = '^src/gateway/(index|limits/index|federation/index|net/index)\\.ts$';

/** `from` may import `to`: one allowlist entry, `$1` being the importing layer where used. */
const may = (from, to, comment) => ({ from: { path: from }, to: { path: to }, comment });
/** `from` may import types (`import type`) from `to`, and nothing that runs. */
const typesOnly = (from, to, comment) => ({ from: { path: from }, to: { path: to, dependencyTypes: ['type-only'] }, comment });

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'An import cycle: modules that need each other belong together or need a third.', from: {}, to: { circular: true } },
    {
      name: 'adapters-through-doors',
      severity: 'error',
      comment: 'Adapters reach the gateway only through its doors (gateway/index.ts and the limits, federation and net indexes).',
      from: { path: '^src/(http|mcp|cli|node|demo|management|telemetry|identity|store)/' },
      to: { path: '^src/gateway/', pathNot: DOORS },
    },
    {
      name: 'nothing-imports-an-adapter',
      severity: 'error',
      comment: 'Only start-up (node/) and the CLI that runs it import an adapter; an adapter imports another only inside itself.',
      from: { path: '^src/([^/]+)/', pathNot: '^src/(node|cli)/' },
      to: { path: '^src/(http|mcp|cli)/', pathNot: '^src/$1/' },
    },
    {
      name: 'mcp-counts-nothing-itself',
      severity: 'error',
      comment: 'The MCP surfaces reach no limiter, recorder or tracer: the pipeline entry calls them, from one place.',
      from: { path: '^src/mcp/' },
      to: { path: '^src/(gateway/limits/|telemetry/recorder\\.ts$|telemetry/otel/|gateway/pipeline/(record|trace)\\.ts$)' },
    },
    {
      name: 'mcp-verifies-no-token-itself',
      severity: 'error',
      comment: 'The MCP surfaces but the Management MCP verify no token and check no access: the pipeline admits their callers.',
      from: { path: '^src/mcp/', pathNot: '^src/mcp/management/' },
      to: { path: '^src/(identity/token-verifier|node/virtual-access\\.ts$)' },
    },
    {
      name: 'migrations-are-frozen',
      severity: 'error',
      comment: 'Migrations import nothing live: they carry frozen copies of what they use (the schema types aside).',
      from: { path: '^src/store/migrations/' },
      to: { path: '^src/', pathNot: ['^src/store/migrations/', '^src/store/schema\\.ts$'] },
    },
    {
      name: 'migrations-use-schema-types-only',
      severity: 'error',
      from: { path: '^src/store/migrations/' },
      to: { path: '^src/store/schema\\.ts$', dependencyTypesNot: ['type-only'] },
    },
  ],
  allowed: [
    // Every layer: Node's built-ins, packages, and itself.
    { from: {}, to: { dependencyTypes: ['core', 'npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'] } },
    may('^src/([^/]+)/', '^src/$1/', 'inside a layer'),
    // Inward: everything may use the schemas, and reach the network only through the guarded client.
    may('^src/', '^src/core/', 'the resource schemas and types'),
    may('^src/', '^src/gateway/net/index\\.ts$', 'outbound HTTP with its SSRF guard'),
    may('^src/(management|identity|telemetry|node)/', '^src/store/', 'the store, behind repositories'),
    may('^src/gateway/snapshot/', '^src/store/', 'the snapshot compiler reads the store; the data plane reads only the snapshot'),
    may('^src/gateway/pipeline/', '^src/telemetry/(iso-time|log-id|otel/guardrail-attributes)\\.ts$', 'the call record’s encodings'),
    typesOnly('^src/gateway/', '^src/telemetry/(recorder|otel/tracer)\\.ts$', 'the recorder and tracer the pipeline drives'),
    typesOnly('^src/gateway/', '^src/store/repositories/', 'the rows the snapshot carries'),
    may('^src/mcp/management/', '^src/management/', 'the Management MCP runs the registry’s operations through the executor'),
    may('^src/(management|mcp|http|node)/', DOORS, 'the gateway through its doors'),
    may('^src/(management|mcp|http|cli|node)/', '^src/identity/', 'tokens, users and sign-in'),
    may('^src/(management|node)/', '^src/telemetry/', 'logs, metrics and exports'),
    may('^src/(http|cli|demo|node)/', '^src/management/', 'the governed path for every change'),
    may('^src/(cli|node)/', '^src/(node|demo|http|mcp)/', 'start-up assembles the adapters'),
  ],
  allowedSeverity: 'error',
  options: {
    includeOnly: '^src/',
    exclude: { path: '\\.test\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
