import { z } from 'zod';

const Port = z.coerce.number().int().min(0).max(65_535);

/** Every setting of a running gateway; the CLI fills it from flags and GATEHOUSE_* variables. */
export const GatehouseConfig = z.object({
  host: z.string().default('127.0.0.1'),
  port: Port.default(8080),
  /** When set, admin surfaces (admin API, console, /oauth, /management/mcp) move to their own listener. */
  adminPort: Port.optional(),
  adminHost: z.string().optional(),
  /**
   * Serve TLS on the listeners: PEM files, re-read when they change (no restart). The listener
   * asks for client certificates, for `mtls` profiles; callers without one are not refused by TLS.
   */
  tls: z.object({ certFile: z.string().min(1), keyFile: z.string().min(1) }).optional(),
  /** The URL callers use to reach the main listener, when it differs from http://host:port (TLS in front). */
  publicUrl: z.url().optional(),
  adminPublicUrl: z.url().optional(),
  dataDir: z.string().default('./.gatehouse'),
  databaseUrl: z.string().optional(),
  /** PostgreSQL schema (search_path); tests give each run its own. */
  databaseSchema: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/)
    .optional(),
  /** Base64 of 32 bytes; otherwise a key file in the data directory. */
  secretKey: z.string().optional(),
  adminPassword: z.string().min(12).optional(),
  externalIdp: z
    .object({
      issuer: z.url(),
      adminApiAudience: z.string().optional(),
      managementMcpAudience: z.string().optional(),
      subjectClaim: z.string().default('sub'),
      groupsClaim: z.string().default('groups'),
      nameClaim: z.string().optional(),
      /** The web console's public client at the IdP (code + PKCE); without it the console cannot sign in. */
      consoleClientId: z.string().min(1).optional(),
      /** The scopes the console asks the IdP for (default `openid profile offline_access`). */
      consoleScope: z.string().min(1).optional(),
      /**
       * Keep the built-in authorization server for Gateway MCP consumers only: MCP clients sign
       * people in as profiles (at the IdPs those profiles trust). Admin surfaces still trust only this IdP.
       */
      consumerSignIn: z.boolean().default(false),
    })
    .optional(),
  /** The built-in authorization server: Client ID Metadata Document fetches and dynamic client registration. */
  oauth: z
    .object({
      /** Let client_id metadata documents live on private or loopback hosts, and on http loopback (tests, closed networks). */
      allowPrivateCimdHosts: z.boolean().default(false),
      /** Dynamic client registrations allowed per client IP per minute. */
      dcrRateLimitPerMinute: z.coerce.number().int().min(1).max(100_000).default(20),
      /** Access-token lifetime (seconds). */
      accessTokenTtlSeconds: z.coerce.number().int().min(5).max(86_400).default(900),
      /** Refresh-token lifetime (seconds) from sign-in; rotation keeps it, so a session ends after this however often it refreshes. */
      refreshTokenTtlSeconds: z.coerce.number().int().min(60).max(31_536_000).default(1_209_600),
    })
    .default({ allowPrivateCimdHosts: false, dcrRateLimitPerMinute: 20, accessTokenTtlSeconds: 900, refreshTokenTtlSeconds: 1_209_600 }),
  redisUrl: z.string().optional(),
  redisPrefix: z.string().default('gatehouse:'),
  /** Workflow cache nodes: the in-process cache's size (with Redis configured, responses are cached there instead). */
  responseCacheMaxBytes: z.coerce.number().int().min(0).max(17_179_869_184).default(67_108_864),
  /** When Redis is unreachable: allow traffic uncounted (`open`) or refuse it (`closed`). */
  limiterFailMode: z.enum(['open', 'closed']).default('open'),
  /** Peers whose X-Forwarded-For is believed (CIDRs). */
  trustProxy: z.array(z.string()).default([]),
  bodyLimitBytes: z.coerce.number().int().min(1024).default(1_048_576),
  requestLogRetentionDays: z.coerce.number().int().min(1).default(30),
  /** Finished jobs (background applies, with their results) are kept this long, then removed. */
  jobRetentionDays: z.coerce.number().int().min(1).max(3_650).default(7),
  /** At most this many finished jobs are kept, whatever their age (an apply's result can be megabytes). */
  jobsKept: z.coerce.number().int().min(1).max(1_000_000).default(1_000),
  /** Notifications one upstream MCP session passes on per second (bursts of twice as many); changes beyond wait, coalesced; the rest are dropped. */
  mcpNoticesPerSecond: z.coerce.number().int().min(1).max(1_000_000).default(50),
  /** Request logs waiting on local disk while the database cannot take them (256 MiB); past it they are dropped and counted. */
  requestLogSpoolMaxBytes: z.coerce.number().int().min(1_048_576).default(268_435_456),
  demo: z.boolean().default(false),
  /** The Gateway MCP (`/mcp`). */
  mcp: z
    .object({
      /** Browser origins allowed besides the gateway's own and localhost (e.g. `https://console.example.com`). */
      allowedOrigins: z.array(z.string()).default([]),
      /** Host names allowed besides the public URL's and localhost; checked when the listener is loopback or this is set. */
      allowedHosts: z.array(z.string()).default([]),
      /** Largest execute_call result body returned to the model; longer bodies are cut and marked. */
      maxResultBytes: z.coerce.number().int().min(256).max(16_777_216).default(65_536),
      /** Longest an MCP request may take. */
      requestTimeoutMs: z.coerce.number().int().min(100).max(600_000).default(30_000),
    })
    .default({ allowedOrigins: [], allowedHosts: [], maxResultBytes: 65_536, requestTimeoutMs: 30_000 }),
  /** OpenAPI import: whether URL fetches and remote $refs are allowed, and to private addresses; the largest document and most operations. */
  openapiImport: z
    .object({
      allowUrls: z.boolean().default(false),
      allowPrivateNetworks: z.boolean().default(false),
      maxDocumentBytes: z.coerce.number().int().min(1_024).max(1_073_741_824).default(33_554_432),
      maxOperations: z.coerce.number().int().min(1).max(100_000).default(5_000),
    })
    .default({ allowUrls: false, allowPrivateNetworks: false, maxDocumentBytes: 33_554_432, maxOperations: 5_000 }),
  /** Token endpoints of oauth2_client_credentials backend credentials. */
  tokenEndpoints: z
    .object({
      /** Let token URLs reach loopback, private and link-local addresses (an IdP inside the network). */
      allowPrivateNetworks: z.boolean().default(false),
      timeoutMs: z.coerce.number().int().min(100).max(120_000).default(10_000),
    })
    .default({ allowPrivateNetworks: false, timeoutMs: 10_000 }),
  /**
   * Lets the gateway reach every upstream MCP server at loopback, private or link-local addresses —
   * probing, curating and calls alike (GATEHOUSE_MCP_ALLOW_PRIVATE_UPSTREAMS; on by default under
   * `serve --demo`, where the upstream is usually on the user's own machine). Off, a server's own
   * `allowPrivateNetwork` (admin-only) allows it for that server.
   */
  mcpAllowPrivateUpstreams: z.boolean().default(false),
  /**
   * The hand-written fast paths (the MCP tools/list and tools/call hot path with its result writer,
   * the lean upstream tools/call client, the OTLP row encoder); off (GATEHOUSE_FAST_PATHS=off), the
   * SDK's server and client answer everything and the OTel SDK's exporters encode every protocol:
   * the library behaviour, for comparison and as a fallback.
   */
  fastPaths: z.boolean().default(true),
  /** Lets admins register stdio upstream MCP servers, which the gateway runs as its own child processes (off: refused, and none is started). */
  federationStdio: z.boolean().default(false),
  /** On shutdown, `/readyz` answers 503 this long before the listeners close, so load balancers stop sending first (Kubernetes: a few seconds). */
  shutdownDelayMs: z.coerce.number().int().min(0).max(300_000).default(0),
  /** A request body that stops arriving for this long is answered 408 and its connection closed. */
  requestBodyIdleMs: z.coerce.number().int().min(100).max(300_000).default(15_000),
  /** On shutdown, in-flight requests get this long to finish before their connections are cut. */
  shutdownTimeoutMs: z.coerce.number().int().min(0).max(300_000).default(10_000),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** OpenTelemetry export over OTLP/HTTP: request logs and audit entries as log records (and call traces). */
  otel: z
    .object({
      /** The collector's base URL (e.g. http://127.0.0.1:4318); signals go to /v1/logs and /v1/traces. */
      endpoint: z.url({ protocol: /^https?$/ }),
      /** OTLP's encoding, as OTEL_EXPORTER_OTLP_PROTOCOL names it. */
      protocol: z.enum(['http/protobuf', 'http/json']).default('http/protobuf'),
      /** Share of traces the gateway starts that are recorded; a caller's own sampling decision is always followed. */
      tracesSampleRatio: z.coerce.number().min(0).max(1).default(1),
      headers: z.record(z.string(), z.string()).default({}),
      serviceName: z.string().min(1).default('gatehouse'),
      /** Records waiting for export at most; beyond it they are dropped and counted. */
      maxQueueSize: z.coerce.number().int().min(1).max(10_000_000).default(20_000),
      /** Records per export request at most: lower it for a collector that refuses large requests. */
      maxExportBatchSize: z.coerce.number().int().min(1).max(100_000).default(2_048),
    })
    .optional(),
});
export type GatehouseConfig = z.infer<typeof GatehouseConfig>;
export type GatehouseConfigInput = z.input<typeof GatehouseConfig>;
