import { z } from 'zod';
import { HttpMethod } from '../../common.js';
import { HeaderName, NodeBase } from '../common.js';

/** Answers CORS preflights (before authentication, as browsers send them) and adds the CORS headers to responses. */
export const CorsNode = z
  .strictObject({
    type: z.literal('cors'),
    ...NodeBase,
    /** Exact origins (`https://app.example.com`), or `*`. */
    allowOrigins: z
      .array(z.string().regex(/^(\*|https?:\/\/[^/\s]+)$/, 'an origin like https://app.example.com, or *'))
      .min(1)
      .max(100),
    allowMethods: z.array(HttpMethod).min(1).default(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']),
    allowHeaders: z.array(HeaderName).max(50).default(['authorization', 'content-type', 'x-api-key', 'x-client-id', 'x-profile-id']),
    exposeHeaders: z.array(HeaderName).max(50).default(['x-request-id', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset']),
    allowCredentials: z.boolean().default(false),
    maxAgeSeconds: z.number().int().min(0).max(86_400).default(600),
  })
  .refine((n) => !(n.allowCredentials && n.allowOrigins.includes('*')), {
    message: 'credentials cannot be allowed for every origin (*)',
    path: ['allowCredentials'],
  });
