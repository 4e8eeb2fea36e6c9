import { z } from 'zod';
import { UpstreamUrl } from '../../core/index.js';
import { MIB, template, type WorkflowTemplate } from './template.js';

/** Templates that shape traffic: contracts, caching, mocks, canaries, partner checks. */
export const TRAFFIC_TEMPLATES: readonly WorkflowTemplate[] = [
  template({
    category: 'traffic',
    name: 'validated-json-api',
    title: 'Validated JSON API',
    description: 'Refuses calls whose parameters or JSON body break the endpoint contract (400 naming the field) before they reach the upstream.',
    params: z.strictObject({
      bodyLimitBytes: z
        .number()
        .int()
        .min(1)
        .max(16 * MIB)
        .default(MIB),
    }),
    build: (p) => ({
      name: 'validated-json-api',
      request: [{ type: 'validate_request', id: 'validate' }],
      response: [{ type: 'set_headers', id: 'nosniff', headers: { 'X-Content-Type-Options': 'nosniff' } }],
      bodyLimitBytes: p.bodyLimitBytes,
    }),
  }),
  template({
    category: 'traffic',
    name: 'cached-read-only-api',
    title: 'Cached read-only API',
    description: 'Serves repeated GET and HEAD calls from the cache for a while, per caller, and refuses writes with 405.',
    params: z.strictObject({ ttlSeconds: z.number().int().min(1).max(86_400).default(60), perCaller: z.boolean().default(true) }),
    build: (p) => ({
      name: 'cached-read-only-api',
      request: [
        {
          type: 'condition',
          id: 'read-only',
          expression: 'request.method == "GET" || request.method == "HEAD"',
          // biome-ignore lint/suspicious/noThenProperty: a condition node's branch, not a thenable.
          then: [{ type: 'cache', id: 'cache', ttlSeconds: p.ttlSeconds, perCaller: p.perCaller }],
          else: [
            {
              type: 'mock_response',
              id: 'refuse-writes',
              status: 405,
              headers: { Allow: 'GET, HEAD' },
              body: { error: { code: 'READ_ONLY', message: 'This API is read-only.' } },
            },
          ],
        },
      ],
      bodyLimitBytes: 4 * MIB,
    }),
  }),
  template({
    category: 'traffic',
    name: 'mock-first',
    title: 'Mock first',
    description: 'Answers every call with a fixed response while the upstream is being built; swap the workflow out when it is ready.',
    params: z.strictObject({
      status: z.number().int().min(200).max(599).default(200),
      body: z.unknown().default({ status: 'mocked', path: '{{request.path}}' }),
    }),
    build: (p) => ({
      name: 'mock-first',
      request: [{ type: 'mock_response', id: 'mock', status: p.status, headers: { 'X-Mock': 'true' }, body: p.body }],
    }),
  }),
  template({
    category: 'traffic',
    name: 'canary-release',
    title: 'Canary release',
    description: 'Sends a share of calls (and every call with X-Canary: 1) to the new upstreams, the rest to the stable ones.',
    params: z.strictObject({
      stableUpstreams: z.array(UpstreamUrl).min(1).max(32),
      canaryUpstreams: z.array(UpstreamUrl).min(1).max(32),
      canaryPercent: z.number().int().min(0).max(100).default(10),
    }),
    build: (p) => ({
      name: 'canary-release',
      request: [
        {
          type: 'route',
          id: 'canary',
          groups: [
            { name: 'canary-opt-in', upstreams: p.canaryUpstreams, when: '"x-canary" in request.headers && request.headers["x-canary"] == "1"' },
            { name: 'canary', upstreams: p.canaryUpstreams, weight: p.canaryPercent },
            { name: 'stable', upstreams: p.stableUpstreams, weight: 100 - p.canaryPercent },
          ],
        },
      ],
      response: [{ type: 'set_headers', id: 'served-by', headers: { 'X-Release': 'canary-release' } }],
    }),
  }),
  template({
    category: 'traffic',
    name: 'partner-api-with-claims-check',
    title: 'Partner API with claims check',
    description: 'Lets in only JWT callers with the required scopes, limits each partner by a claim, and tells the upstream which partner is calling.',
    params: z.strictObject({
      scopes: z.array(z.string().min(1).max(200)).min(1).max(20),
      partnerClaim: z.string().min(1).max(200).default('sub'),
      perPartnerPerMinute: z.number().int().min(1).max(1_000_000).default(600),
    }),
    build: (p) => ({
      name: 'partner-api-with-claims-check',
      request: [
        { type: 'require_claims', id: 'claims', scopes: p.scopes },
        { type: 'rate_limit', id: 'per-partner', keyBy: 'claim', claim: p.partnerClaim, window: 'minute', limit: p.perPartnerPerMinute },
        { type: 'set_headers', id: 'partner', headers: { 'X-Partner': `{{claims.${p.partnerClaim}}}` } },
      ],
    }),
  }),
];
