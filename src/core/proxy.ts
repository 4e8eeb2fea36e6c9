import { z } from 'zod';
import { patchOf } from './patch.js';
import { Id, Name, Stored } from './common.js';
import { WorkflowVersionNumber } from './workflow/ref.js';

/** Path prefixes the gateway serves itself; no proxy may claim them. */
export const RESERVED_PREFIXES = ['/admin', '/oauth', '/mcp', '/management', '/console', '/.well-known', '/healthz', '/readyz', '/metrics'] as const;

/** Paths the gateway serves itself only exactly: where OAuth clients guess the authorization server's endpoints. */
export const RESERVED_EXACT_PATHS = ['/authorize', '/token', '/register'] as const;

/** True when a base path is, or sits under, a reserved prefix, or is a reserved path. */
export function isReservedPath(basePath: string): boolean {
  const lower = basePath.toLowerCase();
  if ((RESERVED_EXACT_PATHS as readonly string[]).includes(lower)) return true;
  return lower === '/' || RESERVED_PREFIXES.some((p) => lower === p || lower.startsWith(`${p}/`));
}

export const BasePath = z
  .string()
  .max(200)
  .regex(/^(\/[A-Za-z0-9._~-]+)+$/, 'a path like /payments/v1 (no trailing slash, no templates)');

export const UpstreamUrl = z
  .url({ protocol: /^https?$/ })
  .max(2000)
  // Zod runs this even when the URL check above failed; an unparsable value is that check's to report.
  .refine((u) => !URL.canParse(u) || (!new URL(u).search && !new URL(u).hash), 'no query or fragment');

export const UpstreamTls = z.strictObject({
  verify: z.boolean().default(true),
  /** CA certificates (PEM) trusted on top of the system's. */
  caBundle: z.string().min(1).max(65_536).nullable().default(null),
});

export const ProxyInput = z.strictObject({
  collectionId: Id,
  name: Name,
  basePath: BasePath,
  upstreams: z.array(UpstreamUrl).min(1).max(32),
  timeouts: z
    .strictObject({
      connectMs: z.number().int().min(1).max(60_000).default(5_000),
      responseMs: z.number().int().min(1).max(600_000).default(30_000),
    })
    .default({ connectMs: 5_000, responseMs: 30_000 }),
  /**
   * The largest request body a call may send, in bytes: a larger declared length is refused with
   * 413 before the body is read, and a chunked body is cut off with 413 when it passes the limit.
   */
  maxRequestBodyBytes: z.number().int().min(0).max(1_099_511_627_776).default(104_857_600),
  /** Extra attempts for idempotent methods when the upstream cannot be reached. */
  retries: z.number().int().min(0).max(5).default(0),
  captureBodies: z
    .strictObject({
      enabled: z.boolean().default(false),
      maxBytes: z.number().int().min(0).max(1_048_576).default(8_192),
      redactFields: z.array(z.string().min(1).max(100)).max(100).default([]),
    })
    .default({ enabled: false, maxBytes: 8_192, redactFields: [] }),
  /** The workflow its calls run (request and response nodes); an endpoint may override it. */
  workflowId: Id.nullable().default(null),
  /** Pin the workflow to one version (a rollback); null follows its latest version. */
  workflowVersion: WorkflowVersionNumber.nullable().default(null),
  /** How the gateway authenticates to the upstream; the caller's own credential never reaches it. */
  backendCredentialId: Id.nullable().default(null),
  /** How `https` upstreams are verified: the system CAs plus `caBundle`; `verify: false` is explicit and shown in every read. */
  tls: UpstreamTls.default({ verify: true, caBundle: null }),
  /**
   * JSON Schemas its endpoints share, by name: an endpoint schema's `{"$ref": "#/$defs/Name"}`
   * points here. The OpenAPI import keeps a description's schemas once here instead of a copy per
   * operation; the gateway expands a contract when it is first used.
   */
  schemas: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
});
export const ProxyPatch = patchOf(ProxyInput.omit({ collectionId: true }));
export const ApiProxy = ProxyInput.extend(Stored);
export type ApiProxy = z.infer<typeof ApiProxy>;
