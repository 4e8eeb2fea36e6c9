import type { GatehouseConfigInput } from '../core/index.js';

export interface CommonFlags {
  dataDir?: string;
}

/** Settings from GATEHOUSE_* variables, overridden by flags; every command reads the same ones. */
export function configFromEnv(flags: CommonFlags, env: NodeJS.ProcessEnv = process.env): GatehouseConfigInput {
  const list = (v?: string) =>
    v
      ? v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : undefined;
  const config: GatehouseConfigInput = {
    dataDir: flags.dataDir ?? env.GATEHOUSE_DATA_DIR ?? './.gatehouse',
    ...(env.GATEHOUSE_HOST ? { host: env.GATEHOUSE_HOST } : {}),
    ...(env.GATEHOUSE_PORT ? { port: Number(env.GATEHOUSE_PORT) } : {}),
    ...(env.GATEHOUSE_ADMIN_PORT ? { adminPort: Number(env.GATEHOUSE_ADMIN_PORT) } : {}),
    ...(env.GATEHOUSE_TLS_CERT && env.GATEHOUSE_TLS_KEY ? { tls: { certFile: env.GATEHOUSE_TLS_CERT, keyFile: env.GATEHOUSE_TLS_KEY } } : {}),
    ...(env.GATEHOUSE_PUBLIC_URL ? { publicUrl: env.GATEHOUSE_PUBLIC_URL } : {}),
    ...(env.GATEHOUSE_ADMIN_PUBLIC_URL ? { adminPublicUrl: env.GATEHOUSE_ADMIN_PUBLIC_URL } : {}),
    ...(env.GATEHOUSE_DATABASE_URL ? { databaseUrl: env.GATEHOUSE_DATABASE_URL } : {}),
    ...(env.GATEHOUSE_DATABASE_SCHEMA ? { databaseSchema: env.GATEHOUSE_DATABASE_SCHEMA } : {}),
    ...(env.GATEHOUSE_SECRET_KEY ? { secretKey: env.GATEHOUSE_SECRET_KEY } : {}),
    ...(env.GATEHOUSE_ADMIN_PASSWORD ? { adminPassword: env.GATEHOUSE_ADMIN_PASSWORD } : {}),
    ...(env.GATEHOUSE_REDIS_URL ? { redisUrl: env.GATEHOUSE_REDIS_URL } : {}),
    ...(env.GATEHOUSE_REDIS_PREFIX ? { redisPrefix: env.GATEHOUSE_REDIS_PREFIX } : {}),
    ...(env.GATEHOUSE_RESPONSE_CACHE_MAX_BYTES ? { responseCacheMaxBytes: Number(env.GATEHOUSE_RESPONSE_CACHE_MAX_BYTES) } : {}),
    ...(env.GATEHOUSE_LIMITER_FAIL_MODE ? { limiterFailMode: env.GATEHOUSE_LIMITER_FAIL_MODE as 'open' | 'closed' } : {}),
    ...(list(env.GATEHOUSE_TRUST_PROXY) ? { trustProxy: list(env.GATEHOUSE_TRUST_PROXY) } : {}),
    ...(env.GATEHOUSE_REQUEST_LOG_RETENTION_DAYS ? { requestLogRetentionDays: Number(env.GATEHOUSE_REQUEST_LOG_RETENTION_DAYS) } : {}),
    ...(env.GATEHOUSE_JOB_RETENTION_DAYS ? { jobRetentionDays: Number(env.GATEHOUSE_JOB_RETENTION_DAYS) } : {}),
    ...(env.GATEHOUSE_JOBS_KEPT ? { jobsKept: Number(env.GATEHOUSE_JOBS_KEPT) } : {}),
    ...(env.GATEHOUSE_MCP_NOTICES_PER_SECOND ? { mcpNoticesPerSecond: Number(env.GATEHOUSE_MCP_NOTICES_PER_SECOND) } : {}),
    ...(env.GATEHOUSE_REQUEST_LOG_SPOOL_MAX_BYTES ? { requestLogSpoolMaxBytes: Number(env.GATEHOUSE_REQUEST_LOG_SPOOL_MAX_BYTES) } : {}),
    ...(env.GATEHOUSE_REQUEST_BODY_IDLE_MS ? { requestBodyIdleMs: Number(env.GATEHOUSE_REQUEST_BODY_IDLE_MS) } : {}),
    ...(env.GATEHOUSE_SHUTDOWN_DELAY_MS ? { shutdownDelayMs: Number(env.GATEHOUSE_SHUTDOWN_DELAY_MS) } : {}),
    ...(env.GATEHOUSE_SHUTDOWN_TIMEOUT_MS ? { shutdownTimeoutMs: Number(env.GATEHOUSE_SHUTDOWN_TIMEOUT_MS) } : {}),
    ...(env.GATEHOUSE_LOG_LEVEL ? { logLevel: env.GATEHOUSE_LOG_LEVEL as 'info' } : {}),
  };
  const flag = (v?: string) => (v === undefined ? undefined : ['1', 'true', 'yes', 'on'].includes(v.toLowerCase()));
  if (flag(env.GATEHOUSE_MCP_ALLOW_PRIVATE_UPSTREAMS) !== undefined) config.mcpAllowPrivateUpstreams = flag(env.GATEHOUSE_MCP_ALLOW_PRIVATE_UPSTREAMS);
  if (flag(env.GATEHOUSE_FAST_PATHS) !== undefined) config.fastPaths = flag(env.GATEHOUSE_FAST_PATHS);
  if (flag(env.GATEHOUSE_FEDERATION_STDIO) !== undefined) config.federationStdio = flag(env.GATEHOUSE_FEDERATION_STDIO);
  if (env.GATEHOUSE_MCP_ALLOWED_ORIGINS || env.GATEHOUSE_MCP_ALLOWED_HOSTS || env.GATEHOUSE_MCP_MAX_RESULT_BYTES || env.GATEHOUSE_MCP_REQUEST_TIMEOUT_MS) {
    config.mcp = {
      ...(list(env.GATEHOUSE_MCP_ALLOWED_ORIGINS) ? { allowedOrigins: list(env.GATEHOUSE_MCP_ALLOWED_ORIGINS) } : {}),
      ...(list(env.GATEHOUSE_MCP_ALLOWED_HOSTS) ? { allowedHosts: list(env.GATEHOUSE_MCP_ALLOWED_HOSTS) } : {}),
      ...(env.GATEHOUSE_MCP_MAX_RESULT_BYTES ? { maxResultBytes: Number(env.GATEHOUSE_MCP_MAX_RESULT_BYTES) } : {}),
      ...(env.GATEHOUSE_MCP_REQUEST_TIMEOUT_MS ? { requestTimeoutMs: Number(env.GATEHOUSE_MCP_REQUEST_TIMEOUT_MS) } : {}),
    };
  }
  if (
    env.GATEHOUSE_OPENAPI_ALLOW_URLS ||
    env.GATEHOUSE_OPENAPI_ALLOW_PRIVATE_NETWORKS ||
    env.GATEHOUSE_OPENAPI_MAX_DOCUMENT_BYTES ||
    env.GATEHOUSE_OPENAPI_MAX_OPERATIONS
  ) {
    config.openapiImport = {
      ...(env.GATEHOUSE_OPENAPI_MAX_DOCUMENT_BYTES ? { maxDocumentBytes: Number(env.GATEHOUSE_OPENAPI_MAX_DOCUMENT_BYTES) } : {}),
      ...(env.GATEHOUSE_OPENAPI_MAX_OPERATIONS ? { maxOperations: Number(env.GATEHOUSE_OPENAPI_MAX_OPERATIONS) } : {}),
      ...(flag(env.GATEHOUSE_OPENAPI_ALLOW_URLS) !== undefined ? { allowUrls: flag(env.GATEHOUSE_OPENAPI_ALLOW_URLS) } : {}),
      ...(flag(env.GATEHOUSE_OPENAPI_ALLOW_PRIVATE_NETWORKS) !== undefined ? { allowPrivateNetworks: flag(env.GATEHOUSE_OPENAPI_ALLOW_PRIVATE_NETWORKS) } : {}),
    };
  }
  if (env.GATEHOUSE_TOKEN_ENDPOINTS_ALLOW_PRIVATE_NETWORKS || env.GATEHOUSE_TOKEN_ENDPOINTS_TIMEOUT_MS) {
    config.tokenEndpoints = {
      ...(flag(env.GATEHOUSE_TOKEN_ENDPOINTS_ALLOW_PRIVATE_NETWORKS) !== undefined
        ? { allowPrivateNetworks: flag(env.GATEHOUSE_TOKEN_ENDPOINTS_ALLOW_PRIVATE_NETWORKS) }
        : {}),
      ...(env.GATEHOUSE_TOKEN_ENDPOINTS_TIMEOUT_MS ? { timeoutMs: Number(env.GATEHOUSE_TOKEN_ENDPOINTS_TIMEOUT_MS) } : {}),
    };
  }
  if (
    env.GATEHOUSE_OAUTH_DCR_RATE_LIMIT_PER_MINUTE ||
    env.GATEHOUSE_OAUTH_ALLOW_PRIVATE_CIMD_HOSTS ||
    env.GATEHOUSE_OAUTH_ACCESS_TOKEN_TTL_SECONDS ||
    env.GATEHOUSE_OAUTH_REFRESH_TOKEN_TTL_SECONDS
  ) {
    config.oauth = {
      ...(env.GATEHOUSE_OAUTH_DCR_RATE_LIMIT_PER_MINUTE ? { dcrRateLimitPerMinute: Number(env.GATEHOUSE_OAUTH_DCR_RATE_LIMIT_PER_MINUTE) } : {}),
      ...(env.GATEHOUSE_OAUTH_ACCESS_TOKEN_TTL_SECONDS ? { accessTokenTtlSeconds: Number(env.GATEHOUSE_OAUTH_ACCESS_TOKEN_TTL_SECONDS) } : {}),
      ...(env.GATEHOUSE_OAUTH_REFRESH_TOKEN_TTL_SECONDS ? { refreshTokenTtlSeconds: Number(env.GATEHOUSE_OAUTH_REFRESH_TOKEN_TTL_SECONDS) } : {}),
      ...(flag(env.GATEHOUSE_OAUTH_ALLOW_PRIVATE_CIMD_HOSTS) !== undefined
        ? { allowPrivateCimdHosts: flag(env.GATEHOUSE_OAUTH_ALLOW_PRIVATE_CIMD_HOSTS) }
        : {}),
    };
  }
  if (env.GATEHOUSE_OTLP_ENDPOINT) {
    // `key=value,key2=value2`, as OTEL_EXPORTER_OTLP_HEADERS.
    const headers = Object.fromEntries(
      (list(env.GATEHOUSE_OTLP_HEADERS) ?? []).map((pair) => {
        const at = pair.indexOf('=');
        return [pair.slice(0, at).trim(), decodeURIComponent(pair.slice(at + 1).trim())];
      }),
    );
    config.otel = {
      endpoint: env.GATEHOUSE_OTLP_ENDPOINT,
      headers,
      ...(env.GATEHOUSE_OTLP_PROTOCOL ? { protocol: env.GATEHOUSE_OTLP_PROTOCOL as 'http/protobuf' | 'http/json' } : {}),
      ...(env.GATEHOUSE_OTEL_TRACES_SAMPLE_RATIO ? { tracesSampleRatio: Number(env.GATEHOUSE_OTEL_TRACES_SAMPLE_RATIO) } : {}),
      ...(env.GATEHOUSE_OTEL_SERVICE_NAME ? { serviceName: env.GATEHOUSE_OTEL_SERVICE_NAME } : {}),
      ...(env.GATEHOUSE_OTLP_MAX_QUEUE ? { maxQueueSize: Number(env.GATEHOUSE_OTLP_MAX_QUEUE) } : {}),
      ...(env.GATEHOUSE_OTLP_MAX_BATCH ? { maxExportBatchSize: Number(env.GATEHOUSE_OTLP_MAX_BATCH) } : {}),
    };
  }
  if (env.GATEHOUSE_OIDC_ISSUER) {
    config.externalIdp = {
      issuer: env.GATEHOUSE_OIDC_ISSUER,
      ...(env.GATEHOUSE_OIDC_ADMIN_AUDIENCE ? { adminApiAudience: env.GATEHOUSE_OIDC_ADMIN_AUDIENCE } : {}),
      ...(env.GATEHOUSE_OIDC_MANAGEMENT_AUDIENCE ? { managementMcpAudience: env.GATEHOUSE_OIDC_MANAGEMENT_AUDIENCE } : {}),
      ...(env.GATEHOUSE_OIDC_SUBJECT_CLAIM ? { subjectClaim: env.GATEHOUSE_OIDC_SUBJECT_CLAIM } : {}),
      ...(env.GATEHOUSE_OIDC_GROUPS_CLAIM ? { groupsClaim: env.GATEHOUSE_OIDC_GROUPS_CLAIM } : {}),
      ...(env.GATEHOUSE_OIDC_NAME_CLAIM ? { nameClaim: env.GATEHOUSE_OIDC_NAME_CLAIM } : {}),
      ...(env.GATEHOUSE_OIDC_CONSOLE_CLIENT_ID ? { consoleClientId: env.GATEHOUSE_OIDC_CONSOLE_CLIENT_ID } : {}),
      ...(env.GATEHOUSE_OIDC_CONSOLE_SCOPE ? { consoleScope: env.GATEHOUSE_OIDC_CONSOLE_SCOPE } : {}),
      ...(env.GATEHOUSE_OIDC_CONSUMER_SIGN_IN ? { consumerSignIn: ['1', 'true', 'yes'].includes(env.GATEHOUSE_OIDC_CONSUMER_SIGN_IN.toLowerCase()) } : {}),
    };
  }
  return config;
}

/**
 * The settings `serve --demo` turns on unless the environment decided them: its MCP upstreams are on
 * the user's own machine, so testing and curating them may reach loopback and private addresses,
 * and its admin may run MCP servers installed there as stdio programs (still admins only).
 */
export function withDemoDefaults(config: GatehouseConfigInput): GatehouseConfigInput {
  return { ...config, mcpAllowPrivateUpstreams: config.mcpAllowPrivateUpstreams ?? true, federationStdio: config.federationStdio ?? true };
}
