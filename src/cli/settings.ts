import type { GatehouseConfigInput } from '../core/index.js';

export interface CommonFlags {
  dataDir?: string;
}

/** Settings from GATEHOUSE_* variables, overridden by flags; every command reads the same ones. */
export function configFromEnv(flags: CommonFlags, env: NodeJS.ProcessEnv = process.env): GatehouseConfigInput {
  const list = (v?: string) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined);
  const config: GatehouseConfigInput = {
    dataDir: flags.dataDir ?? env.GATEHOUSE_DATA_DIR ?? './.gatehouse',
    ...(env.GATEHOUSE_HOST ? { host: env.GATEHOUSE_HOST } : {}),
    ...(env.GATEHOUSE_PORT ? { port: Number(env.GATEHOUSE_PORT) } : {}),
    ...(env.GATEHOUSE_ADMIN_PORT ? { adminPort: Number(env.GATEHOUSE_ADMIN_PORT) } : {}),
    ...(env.GATEHOUSE_PUBLIC_URL ? { publicUrl: env.GATEHOUSE_PUBLIC_URL } : {}),
    ...(env.GATEHOUSE_ADMIN_PUBLIC_URL ? { adminPublicUrl: env.GATEHOUSE_ADMIN_PUBLIC_URL } : {}),
    ...(env.GATEHOUSE_DATABASE_URL ? { databaseUrl: env.GATEHOUSE_DATABASE_URL } : {}),
    ...(env.GATEHOUSE_DATABASE_SCHEMA ? { databaseSchema: env.GATEHOUSE_DATABASE_SCHEMA } : {}),
    ...(env.GATEHOUSE_SECRET_KEY ? { secretKey: env.GATEHOUSE_SECRET_KEY } : {}),
    ...(env.GATEHOUSE_ADMIN_PASSWORD ? { adminPassword: env.GATEHOUSE_ADMIN_PASSWORD } : {}),
    ...(env.GATEHOUSE_REDIS_URL ? { redisUrl: env.GATEHOUSE_REDIS_URL } : {}),
    ...(env.GATEHOUSE_REDIS_PREFIX ? { redisPrefix: env.GATEHOUSE_REDIS_PREFIX } : {}),
    ...(env.GATEHOUSE_LIMITER_FAIL_MODE ? { limiterFailMode: env.GATEHOUSE_LIMITER_FAIL_MODE as 'open' | 'closed' } : {}),
    ...(list(env.GATEHOUSE_TRUST_PROXY) ? { trustProxy: list(env.GATEHOUSE_TRUST_PROXY) } : {}),
    ...(env.GATEHOUSE_REQUEST_LOG_RETENTION_DAYS ? { requestLogRetentionDays: Number(env.GATEHOUSE_REQUEST_LOG_RETENTION_DAYS) } : {}),
    ...(env.GATEHOUSE_LOG_LEVEL ? { logLevel: env.GATEHOUSE_LOG_LEVEL as 'info' } : {}),
  };
  if (env.GATEHOUSE_OIDC_ISSUER) {
    config.externalIdp = {
      issuer: env.GATEHOUSE_OIDC_ISSUER,
      ...(env.GATEHOUSE_OIDC_ADMIN_AUDIENCE ? { adminApiAudience: env.GATEHOUSE_OIDC_ADMIN_AUDIENCE } : {}),
      ...(env.GATEHOUSE_OIDC_MANAGEMENT_AUDIENCE ? { managementMcpAudience: env.GATEHOUSE_OIDC_MANAGEMENT_AUDIENCE } : {}),
      ...(env.GATEHOUSE_OIDC_SUBJECT_CLAIM ? { subjectClaim: env.GATEHOUSE_OIDC_SUBJECT_CLAIM } : {}),
      ...(env.GATEHOUSE_OIDC_GROUPS_CLAIM ? { groupsClaim: env.GATEHOUSE_OIDC_GROUPS_CLAIM } : {}),
      ...(env.GATEHOUSE_OIDC_NAME_CLAIM ? { nameClaim: env.GATEHOUSE_OIDC_NAME_CLAIM } : {}),
    };
  }
  return config;
}
