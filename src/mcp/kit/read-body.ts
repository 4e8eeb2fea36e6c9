import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatehouseError, sendError } from '../../core/index.js';

/** Reads a JSON-RPC body up to `max` bytes; null when it is larger (the rest is drained, not kept). */
function readBody(req: IncomingMessage, max: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > max) {
      req.resume();
      resolve(null);
      return;
    }
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        req.removeAllListeners('data');
        req.resume();
        resolve(null);
        return;
      }
      parts.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(parts, size)));
    req.on('error', reject);
  });
}

/** A JSON-RPC error outside any request (the body could not be read as one). */
function jsonRpcError(res: ServerResponse, status: number, code: number, message: string): void {
  const body = JSON.stringify({ jsonrpc: '2.0', id: null, error: { code, message } });
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** Marks a request the reader has already answered (too large, not JSON). */
export const ANSWERED = Symbol('answered');

/** The parsed JSON-RPC message of a POST (undefined for other methods); answers 413 or a parse error itself. */
export async function readMessage(req: IncomingMessage, res: ServerResponse, max: number, requestId: string): Promise<unknown> {
  if (req.method !== 'POST') return undefined;
  const body = await readBody(req, max);
  if (body === null) {
    sendError(res, new GatehouseError('GATEHOUSE_BODY_TOO_LARGE'), requestId);
    return ANSWERED;
  }
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    jsonRpcError(res, 400, -32700, 'Parse error: the body is not valid JSON.');
    return ANSWERED;
  }
}
