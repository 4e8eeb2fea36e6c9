import { describe, expect, it } from 'vitest';
import { GatehouseConfig } from '../core/index.js';
import { configFromEnv, withDemoDefaults } from './settings.js';

describe('settings from GATEHOUSE_* variables', () => {
  it('maps every group of variables onto the config, and flags override the data dir', () => {
    const config = GatehouseConfig.parse(
      configFromEnv(
        { dataDir: '/tmp/from-flag' },
        {
          GATEHOUSE_DATA_DIR: '/tmp/from-env',
          GATEHOUSE_PORT: '9090',
          GATEHOUSE_ADMIN_PORT: '9091',
          GATEHOUSE_TRUST_PROXY: '10.0.0.0/8, 192.168.0.1',
          GATEHOUSE_LIMITER_FAIL_MODE: 'closed',
          GATEHOUSE_MCP_ALLOWED_ORIGINS: 'https://console.example.com',
          GATEHOUSE_MCP_MAX_RESULT_BYTES: '4096',
          GATEHOUSE_OPENAPI_ALLOW_URLS: 'true',
          GATEHOUSE_OAUTH_DCR_RATE_LIMIT_PER_MINUTE: '5',
          GATEHOUSE_OAUTH_ACCESS_TOKEN_TTL_SECONDS: '300',
          GATEHOUSE_OIDC_ISSUER: 'https://idp.example.com',
          GATEHOUSE_OIDC_GROUPS_CLAIM: 'realm_access.roles',
        },
      ),
    );
    expect(config).toMatchObject({
      dataDir: '/tmp/from-flag',
      port: 9090,
      adminPort: 9091,
      trustProxy: ['10.0.0.0/8', '192.168.0.1'],
      limiterFailMode: 'closed',
      mcp: { allowedOrigins: ['https://console.example.com'], maxResultBytes: 4096 },
      openapiImport: { allowUrls: true, allowPrivateNetworks: false },
      oauth: { dcrRateLimitPerMinute: 5, allowPrivateCimdHosts: false, accessTokenTtlSeconds: 300, refreshTokenTtlSeconds: 1_209_600 },
      externalIdp: { issuer: 'https://idp.example.com', groupsClaim: 'realm_access.roles', subjectClaim: 'sub' },
    });
  });

  it('lets testing and curation reach private MCP upstreams only when asked, or under --demo unless the environment says no', () => {
    expect(GatehouseConfig.parse(configFromEnv({}, {})).mcpAllowPrivateUpstreams).toBe(false);
    expect(GatehouseConfig.parse(configFromEnv({}, { GATEHOUSE_MCP_ALLOW_PRIVATE_UPSTREAMS: 'true' })).mcpAllowPrivateUpstreams).toBe(true);
    expect(GatehouseConfig.parse(withDemoDefaults(configFromEnv({}, {}))).mcpAllowPrivateUpstreams).toBe(true);
    const refused = withDemoDefaults(configFromEnv({}, { GATEHOUSE_MCP_ALLOW_PRIVATE_UPSTREAMS: 'false' }));
    expect(GatehouseConfig.parse(refused).mcpAllowPrivateUpstreams).toBe(false);
  });

  it('runs the fast paths unless GATEHOUSE_FAST_PATHS is off', () => {
    expect(GatehouseConfig.parse(configFromEnv({}, {})).fastPaths).toBe(true);
    expect(GatehouseConfig.parse(configFromEnv({}, { GATEHOUSE_FAST_PATHS: 'off' })).fastPaths).toBe(false);
    expect(GatehouseConfig.parse(configFromEnv({}, { GATEHOUSE_FAST_PATHS: 'on' })).fastPaths).toBe(true);
  });

  it('runs stdio MCP servers only when asked, or under --demo unless the environment says no', () => {
    expect(GatehouseConfig.parse(configFromEnv({}, {})).federationStdio).toBe(false);
    expect(GatehouseConfig.parse(configFromEnv({}, { GATEHOUSE_FEDERATION_STDIO: 'on' })).federationStdio).toBe(true);
    expect(GatehouseConfig.parse(withDemoDefaults(configFromEnv({}, {}))).federationStdio).toBe(true);
    expect(GatehouseConfig.parse(withDemoDefaults(configFromEnv({}, { GATEHOUSE_FEDERATION_STDIO: 'off' }))).federationStdio).toBe(false);
  });

  it('keeps finished jobs a week, at most 1,000, unless GATEHOUSE_JOB_RETENTION_DAYS and GATEHOUSE_JOBS_KEPT say otherwise', () => {
    expect(GatehouseConfig.parse(configFromEnv({}, {}))).toMatchObject({ jobRetentionDays: 7, jobsKept: 1_000 });
    const set = GatehouseConfig.parse(configFromEnv({}, { GATEHOUSE_JOB_RETENTION_DAYS: '2', GATEHOUSE_JOBS_KEPT: '50' }));
    expect(set).toMatchObject({ jobRetentionDays: 2, jobsKept: 50 });
    expect(GatehouseConfig.safeParse(configFromEnv({}, { GATEHOUSE_JOBS_KEPT: '0' })).success).toBe(false);
  });

  it('leaves defaults alone when nothing is set', () => {
    const config = GatehouseConfig.parse(configFromEnv({}, {}));
    expect(config).toMatchObject({ host: '127.0.0.1', port: 8080, dataDir: './.gatehouse', limiterFailMode: 'open' });
    expect(config.externalIdp).toBeUndefined();
  });

  it('reads the OpenTelemetry settings, headers as key=value pairs', () => {
    const config = GatehouseConfig.parse(
      configFromEnv(
        {},
        { GATEHOUSE_OTLP_ENDPOINT: 'http://127.0.0.1:4318', GATEHOUSE_OTLP_HEADERS: 'x-api-key=a%3Db, x-team=gw', GATEHOUSE_OTLP_MAX_QUEUE: '500' },
      ),
    );
    expect(config.otel).toEqual({
      endpoint: 'http://127.0.0.1:4318',
      protocol: 'http/protobuf',
      tracesSampleRatio: 1,
      headers: { 'x-api-key': 'a=b', 'x-team': 'gw' },
      serviceName: 'gatehouse',
      maxQueueSize: 500,
      maxExportBatchSize: 2048,
    });
    const batch = GatehouseConfig.parse(configFromEnv({}, { GATEHOUSE_OTLP_ENDPOINT: 'http://x:4318', GATEHOUSE_OTLP_MAX_BATCH: '512' }));
    expect(batch.otel?.maxExportBatchSize).toBe(512);
    expect(GatehouseConfig.safeParse(configFromEnv({}, { GATEHOUSE_OTLP_ENDPOINT: 'http://x:4318', GATEHOUSE_OTLP_MAX_BATCH: '0' })).success).toBe(false);
    expect(GatehouseConfig.safeParse(configFromEnv({}, { GATEHOUSE_OTLP_ENDPOINT: 'ftp://x' })).success).toBe(false);
    const json = GatehouseConfig.parse(configFromEnv({}, { GATEHOUSE_OTLP_ENDPOINT: 'http://127.0.0.1:4318', GATEHOUSE_OTLP_PROTOCOL: 'http/json' }));
    expect(json.otel?.protocol).toBe('http/json');
    expect(
      GatehouseConfig.parse(configFromEnv({}, { GATEHOUSE_OTLP_ENDPOINT: 'http://x:4318', GATEHOUSE_OTEL_TRACES_SAMPLE_RATIO: '0.25' })).otel
        ?.tracesSampleRatio,
    ).toBe(0.25);
    expect(GatehouseConfig.safeParse(configFromEnv({}, { GATEHOUSE_OTLP_ENDPOINT: 'http://x:4318', GATEHOUSE_OTEL_TRACES_SAMPLE_RATIO: '2' })).success).toBe(
      false,
    );
    expect(GatehouseConfig.safeParse(configFromEnv({}, { GATEHOUSE_OTLP_ENDPOINT: 'http://127.0.0.1:4318', GATEHOUSE_OTLP_PROTOCOL: 'grpc' })).success).toBe(
      false,
    );
  });
});
