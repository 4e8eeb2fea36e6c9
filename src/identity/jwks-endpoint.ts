import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JSONWebKeySet } from 'jose';

/** A GET or HEAD answer of the public JWKS endpoint. */
export type JwksEndpoint = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * The public JWKS endpoint answered from the keys, as oidc-provider answers it (its open CORS, the
 * JWK Set media type, no caching headers): load balancers probe it at start, which must not load
 * the provider. The body is built once; the keys do not change while the server runs.
 */
export function jwksEndpoint(jwks: JSONWebKeySet): JwksEndpoint {
  const body = Buffer.from(JSON.stringify({ keys: jwks.keys }));
  return (req, res) => {
    // oidc-provider's CORS middleware leaves a response alone that already has CORS headers.
    if (!res.getHeaderNames().some((name) => name.startsWith('access-control-'))) {
      appendVary(res, 'Origin');
      res.setHeader('Access-Control-Allow-Origin', req.headers.origin || '*');
    }
    res.statusCode = 200;
    res.setHeader('Content-Type', 'application/jwk-set+json; charset=utf-8');
    res.setHeader('Content-Length', body.length);
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}

// As Koa's `ctx.vary` (the `vary` package): adds the field unless the header lists it or is `*`.
function appendVary(res: ServerResponse, field: string): void {
  const current = res.getHeader('Vary');
  const value = Array.isArray(current) ? current.join(', ') : current === undefined ? '' : String(current);
  if (value === '*') return;
  const listed = value.split(',').map((v) => v.trim().toLowerCase());
  if (listed.includes(field.toLowerCase())) return;
  res.setHeader('Vary', value ? `${value}, ${field}` : field);
}
