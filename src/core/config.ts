import { z } from 'zod';

const Port = z.coerce.number().int().min(0).max(65_535);

/** Every setting of a running gateway; the CLI fills it from flags and GATEHOUSE_* variables. */
export const GatehouseConfig = z.object({
  host: z.string().default('127.0.0.1'),
  port: Port.default(8080),
  /** When set, admin surfaces (admin API, console, /oauth, /management/mcp) move to their own listener. */
  adminPort: Port.optional(),
  adminHost: z.string().optional(),
  /** The URL callers use to reach the main listener, when it differs from http://host:port (TLS in front). */
  publicUrl: z.url().optional(),
  adminPublicUrl: z.url().optional(),
  dataDir: z.string().default('./.gatehouse'),
  databaseUrl: z.string().optional(),
  /** PostgreSQL schema (search_path); tests give each run its own. */
  databaseSchema: z.string().regex(/^[a-z_][a-z0-9_]*$/).optional(),
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
    })
    .optional(),
  redisUrl: z.string().optional(),
  redisPrefix: z.string().default('gatehouse:'),
  /** When Redis is unreachable: allow traffic uncounted (`open`) or refuse it (`closed`). */
  limiterFailMode: z.enum(['open', 'closed']).default('open'),
  /** Peers whose X-Forwarded-For is believed (CIDRs). */
  trustProxy: z.array(z.string()).default([]),
  bodyLimitBytes: z.coerce.number().int().min(1024).default(1_048_576),
  requestLogRetentionDays: z.coerce.number().int().min(1).default(30),
  demo: z.boolean().default(false),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});
export type GatehouseConfig = z.infer<typeof GatehouseConfig>;
export type GatehouseConfigInput = z.input<typeof GatehouseConfig>;
