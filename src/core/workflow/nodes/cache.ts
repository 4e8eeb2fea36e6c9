import { z } from 'zod';
import { HttpMethod } from '../../common.js';
import { HeaderName, NodeBase } from '../common.js';

/**
 * Serves repeated calls from a cache: responses to GET/HEAD (and methods allowed here) keyed by
 * method, path, query, the chosen headers and (by default) the caller. `Cache-Control: no-store`
 * on the request or the response bypasses it; only 200 responses are stored.
 */
export const CacheNode = z.strictObject({
  type: z.literal('cache'),
  ...NodeBase,
  ttlSeconds: z.number().int().min(1).max(86_400),
  methods: z.array(HttpMethod).min(1).default(['GET', 'HEAD']),
  /** Request headers whose values split the cache (e.g. Accept-Language). */
  varyHeaders: z.array(HeaderName).max(20).default([]),
  /** Keep each caller's responses apart (turn off only for data that is the same for everyone). */
  perCaller: z.boolean().default(true),
  /** Responses larger than this are not stored. */
  maxEntryBytes: z.number().int().min(1).max(8_388_608).default(1_048_576),
});
