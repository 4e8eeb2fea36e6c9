import type { z } from 'zod';
import type { CorsNode } from '../../../core/index.js';
import type { OutgoingHeaders } from '../../net/header-map.js';
import type { NodeCompiler } from '../step.js';

type Cors = z.output<typeof CorsNode>;

/** A compiled CORS policy: the preflight answer and the headers an actual response gets. */
export interface CorsPolicy {
  /** The preflight response for an allowed origin, or null (not allowed: the browser then refuses). */
  preflight(origin: string, method: string | undefined): OutgoingHeaders | null;
  /** The headers a response to `origin` gets, or null when the origin is not allowed. */
  forResponse(origin: string): Record<string, string> | null;
}

/** Compiles the policy once: the header values are fixed strings. */
export function corsPolicy(node: Cors): CorsPolicy {
  const any = node.allowOrigins.includes('*');
  const origins = new Set(node.allowOrigins);
  const methods = node.allowMethods.join(', ');
  const allowed = new Set(node.allowMethods);
  const headers = node.allowHeaders.join(', ');
  const expose = node.exposeHeaders.join(', ');
  const allowOrigin = (origin: string) => (any ? '*' : origin);
  const admits = (origin: string) => any || origins.has(origin);
  return {
    preflight(origin, method) {
      if (!admits(origin) || (method !== undefined && !allowed.has(method as Cors['allowMethods'][number]))) return null;
      const out: OutgoingHeaders = {
        'access-control-allow-origin': allowOrigin(origin),
        'access-control-allow-methods': methods,
        'access-control-allow-headers': headers,
        'access-control-max-age': String(node.maxAgeSeconds),
        vary: 'Origin',
        'content-length': '0',
      };
      if (node.allowCredentials) out['access-control-allow-credentials'] = 'true';
      return out;
    },
    forResponse(origin) {
      if (!admits(origin)) return null;
      const out: Record<string, string> = { 'access-control-allow-origin': allowOrigin(origin), vary: 'Origin' };
      if (expose) out['access-control-expose-headers'] = expose;
      if (node.allowCredentials) out['access-control-allow-credentials'] = 'true';
      return out;
    },
  };
}

/** Adds the CORS headers to the response of an allowed origin (preflights are answered before authentication, see the pipeline). */
export const compileCors: NodeCompiler<Cors> = (node) => {
  const policy = corsPolicy(node);
  return (x) => {
    const origin = x.requestHeaders.origin;
    if (typeof origin !== 'string') return;
    const headers = policy.forResponse(origin);
    if (headers) x.extraResponseHeaders = { ...x.extraResponseHeaders, ...headers };
  };
};
