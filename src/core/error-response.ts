import { errorBody, type GatehouseError } from './errors.js';

/** A complete JSON error response: status, headers and body bytes. */
export interface ErrorResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

/** The JSON error response every raw-HTTP surface sends: the stable code, the message and the request id. */
export function errorResponse(err: GatehouseError, requestId: string, extra: Record<string, string> = {}): ErrorResponse {
  const body = Buffer.from(JSON.stringify(errorBody(err, requestId)));
  return {
    status: err.status,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(body.length),
      'cache-control': 'no-store',
      'x-request-id': requestId,
      ...extra,
    },
    body,
  };
}

/** The part of a node:http response an error is written to. */
export interface ResponseSink {
  writeHead(status: number, headers: Record<string, string | string[]>): unknown;
  end(body: Buffer): unknown;
}

/** Writes the JSON error on a raw response (outside Fastify). */
export function sendError(res: ResponseSink, err: GatehouseError, requestId: string, extra: Record<string, string> = {}): void {
  const e = errorResponse(err, requestId, extra);
  res.writeHead(e.status, e.headers);
  res.end(e.body);
}
