import type { ServerResponse } from 'node:http';
import { errorBody, type GatehouseError } from '../core/index.js';

/** Writes a JSON error on a raw response (outside Fastify). */
export function sendError(res: ServerResponse, err: GatehouseError, requestId: string, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(errorBody(err, requestId));
  res.writeHead(err.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'x-request-id': requestId,
    ...headers,
  });
  res.end(body);
}
