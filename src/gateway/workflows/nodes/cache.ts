import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { CacheNode } from '../../../core/index.js';
import { canonicalJson } from '../../guardrails/approval-digest.js';
import type { CachedResponse } from '../cache/response-cache.js';
import { StoredHit } from '../cache/stored-hit.js';
import type { McpView } from '../call-view.js';
import type { Exchange, WorkflowResponse } from '../exchange.js';
import type { NodeCompiler } from '../step.js';

/** Response headers that belong to one call, never to a stored copy. */
const PER_CALL = new Set(['x-request-id', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'retry-after', 'set-cookie', 'date', 'age', 'x-cache']);

function noStore(value: string | string[] | undefined): boolean {
  if (value === undefined) return false;
  return /\bno-store\b/i.test(Array.isArray(value) ? value.join(',') : value);
}

/** The entry to store, with its head prepared for hits; null when the response must not be kept. */
function storable(response: WorkflowResponse, maxBytes: number, cacheStatus: string): CachedResponse | null {
  if (response.status !== 200 || response.body === null || response.body.length > maxBytes) return null;
  if (noStore(response.headers['cache-control'])) return null;
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(response.headers)) if (!PER_CALL.has(k)) headers[k] = v;
  const entry: CachedResponse = { status: response.status, headers, body: response.body };
  const hit = StoredHit.of(entry, cacheStatus);
  if (hit === null) return null;
  entry.hit = hit;
  return entry;
}

/**
 * Serves repeated calls from the cache. A hit answers at once (the stored copy is what the
 * response phase produced, so it is not run again); a miss stores the final response.
 */
export const compileCache: NodeCompiler<z.output<typeof CacheNode>> = (node, env) => {
  const methods = new Set<string>(node.methods);
  const vary = node.varyHeaders.map((h) => h.toLowerCase());
  const ttlMs = node.ttlSeconds * 1000;
  const prefix = `${env.workflow.id}:${node.id}|`;
  const status = `gatehouse; hit; ttl=${node.ttlSeconds}`;
  const hitNote = `${node.id}:hit`;
  const keyOf = (x: Exchange): string => {
    let key = `${prefix}${x.ctx.method}|${x.ctx.path}${x.query}|${node.perCaller ? (x.ctx.caller?.profile.id ?? '-') : '*'}`;
    for (const h of vary) key += `|${x.requestHeaders[h] ?? ''}`;
    return key;
  };
  // A federated call is keyed by the virtual server, the tool, its arguments (canonical, digested) and the caller.
  const mcpKeyOf = (x: Exchange, mcp: McpView): string => {
    const args = createHash('sha256')
      .update(canonicalJson(x.requestJson() ?? null))
      .digest('base64url');
    let key = `${prefix}mcp|${mcp.server}|${mcp.tool}|${args}|${node.perCaller ? mcp.caller.subject : '*'}`;
    for (const h of vary) key += `|${x.requestHeaders[h] ?? ''}`;
    return key;
  };
  const miss = (x: Exchange, key: string) => {
    x.note(`${node.id}:miss`);
    const cache = env.services.cache;
    x.cacheStore = {
      store(response) {
        const entry = storable(response, node.maxEntryBytes, status);
        if (entry) return cache.set(key, entry, ttlMs);
      },
    };
  };
  const use = (x: Exchange, key: string, entry: CachedResponse | undefined) => {
    // A shared (Redis) entry comes without its prepared head: prepared here, per hit.
    const hit = entry === undefined ? null : (entry.hit ?? StoredHit.of(entry, status));
    if (hit === null) return miss(x, key);
    x.note(hitNote);
    x.answerFromCache(hit);
  };
  const lookup = (x: Exchange, key: string) => {
    const found = env.services.cache.get(key);
    if (found instanceof Promise) return found.then((entry) => use(x, key, entry));
    use(x, key, found);
  };
  // On a virtual server only a read-only tool's calls are served again (its `methods` are HTTP's, not MCP's).
  const mcpCall = async (x: Exchange, mcp: McpView) => {
    if (mcp.method !== 'tools/call' || !(await mcp.readOnly())) {
      x.note(`${node.id}:bypass`);
      return;
    }
    return lookup(x, mcpKeyOf(x, mcp));
  };
  return (x) => {
    const mcp = x.ctx.mcp;
    if (mcp) return mcpCall(x, mcp);
    if (!methods.has(x.ctx.method)) return;
    if (noStore(x.requestHeaders['cache-control'])) {
      x.note(`${node.id}:bypass`);
      return;
    }
    return lookup(x, keyOf(x));
  };
};
