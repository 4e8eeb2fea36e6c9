import { z } from 'zod';
import { patchOf } from './patch.js';
import { Id, Name, Stored } from './common.js';
import { WorkflowVersionNumber } from './workflow/ref.js';

/** Path prefixes the gateway serves itself; no proxy may claim them. */
export const RESERVED_PREFIXES = [
  '/admin',
  '/oauth',
  '/mcp',
  '/management',
  '/console',
  '/.well-known',
  '/healthz',
  '/readyz',
  '/metrics',
] as const;

/** True when a base path is, or sits under, a reserved prefix. */
export function isReservedPath(basePath: string): boolean {
  const lower = basePath.toLowerCase();
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
});
export const ProxyPatch = patchOf(ProxyInput.omit({ collectionId: true }));
export const ApiProxy = ProxyInput.extend(Stored);
export type ApiProxy = z.infer<typeof ApiProxy>;
