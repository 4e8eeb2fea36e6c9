import type { IncomingMessage, ServerResponse } from 'node:http';
import { ERRORS, GatehouseError, jsonNestsDeeperThan, sendError } from '../../core/index.js';
import { lingerThenClose, sendContinue } from '../../gateway/net/index.js';

/** Reads a JSON-RPC body up to `max` bytes; null once it passes that (the rest is left for the refusal to discard). */
function readBody(req: IncomingMessage, max: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        req.off('data', onData);
        resolve(null);
        return;
      }
      parts.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(parts, size)));
    req.once('error', reject);
  });
}

/** A JSON-RPC error outside any request (the body could not be read as one). */
function jsonRpcError(res: ServerResponse, status: number, code: number, message: string, data?: { code: string }): void {
  const body = JSON.stringify({ jsonrpc: '2.0', id: null, error: { code, message, ...(data ? { data } : {}) } });
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/**
 * Refuses a request before its body has been read (bad Origin, no credential, too large): the
 * answer goes out at once, and the rest of the body is read and thrown away for a moment and
 * the connection then cut, as the proxy does, so a client still sending reads the answer rather
 * than a broken pipe.
 */
export function refuse(req: IncomingMessage, res: ServerResponse, err: GatehouseError, requestId: string, headers: Record<string, string> = {}): void {
  lingerThenClose(req);
  sendError(res, err, requestId, headers);
}

/** Marks a request the reader has already answered (too large, not JSON). */
export const ANSWERED = Symbol('answered');

/**
 * The parsed JSON-RPC message of a POST (undefined for other methods); answers 413 or a parse
 * error itself. A declared length over the limit is refused before any of the body is read (and
 * a client waiting on `Expect: 100-continue` is never told to send it). A body nested deeper than
 * MAX_JSON_DEPTH is refused as a parse error before it is parsed: the SDK's validation recurses.
 */
export async function readMessage(req: IncomingMessage, res: ServerResponse, max: number, requestId: string): Promise<unknown> {
  if (req.method !== 'POST') return undefined;
  if (Number(req.headers['content-length'] ?? 0) > max) {
    refuse(req, res, new GatehouseError('GATEHOUSE_BODY_TOO_LARGE'), requestId);
    return ANSWERED;
  }
  sendContinue(req, res);
  const body = await readBody(req, max);
  if (body === null) {
    refuse(req, res, new GatehouseError('GATEHOUSE_BODY_TOO_LARGE'), requestId);
    return ANSWERED;
  }
  if (jsonNestsDeeperThan(body)) {
    jsonRpcError(res, 400, -32700, `Parse error: ${ERRORS.GATEHOUSE_JSON_TOO_DEEP.message}`, { code: 'GATEHOUSE_JSON_TOO_DEEP' });
    return ANSWERED;
  }
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    jsonRpcError(res, 400, -32700, 'Parse error: the body is not valid JSON.');
    return ANSWERED;
  }
}
