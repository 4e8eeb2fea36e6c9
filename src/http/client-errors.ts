import { type IncomingMessage, STATUS_CODES, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { type ErrorCode, errorResponse, GatehouseError, requestIdFrom } from '../core/index.js';

/** node:http's parse and timeout failures, by the error code it raises, onto our codes. */
const CLIENT_ERROR_CODES: Record<string, ErrorCode> = {
  HPE_HEADER_OVERFLOW: 'GATEHOUSE_HEADERS_TOO_LARGE',
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 'GATEHOUSE_BODY_TOO_LARGE',
  ERR_HTTP_REQUEST_TIMEOUT: 'GATEHOUSE_REQUEST_TIMEOUT',
};

/** The raw bytes of a JSON error with `Connection: close`, for a socket no response object stands for. */
function rawError(err: GatehouseError): string {
  const e = errorResponse(err, requestIdFrom(undefined), { connection: 'close' });
  const head = Object.entries(e.headers).map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : v}`);
  return `HTTP/1.1 ${e.status} ${STATUS_CODES[e.status] ?? 'Error'}\r\n${head.join('\r\n')}\r\n\r\n${e.body.toString('utf8')}`;
}

/** Writes the error and closes the connection once it is flushed, whatever the client still sends. */
function refuse(socket: Duplex, err: GatehouseError): void {
  socket.end(rawError(err));
  (socket as Socket).destroySoon();
}

/** node:http's own reason for a parse failure ("Invalid method encountered"), without its code prefix. */
function parseReason(err: Error & { reason?: unknown }): string | undefined {
  return typeof err.reason === 'string' && err.reason !== '' ? err.reason : undefined;
}

/**
 * Answers what node:http cannot hand to a request handler with the same JSON errors as every
 * other refusal, then closes the connection: a request it cannot parse (bad request line, header,
 * chunk size, an over-long chunk extension), one whose head took too long, and CONNECT (which it
 * would otherwise drop without a word, as it has no tunnel to offer). A response already started
 * on that connection is cut instead, as a second status line would corrupt it.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (err: Error & { code?: string }, socket: Duplex) => {
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (!socket.writable || inFlight?.headersSent || err.code === 'ECONNRESET' || err.code === 'EPIPE') {
      socket.destroy();
      return;
    }
    const code = CLIENT_ERROR_CODES[err.code ?? ''] ?? 'GATEHOUSE_BAD_REQUEST';
    const reason = code === 'GATEHOUSE_BAD_REQUEST' ? parseReason(err) : undefined;
    refuse(socket, new GatehouseError(code, reason ? `The request is malformed: ${reason}.` : undefined));
  });
  server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
    socket.on('error', () => socket.destroy());
    refuse(socket, new GatehouseError('GATEHOUSE_METHOD_NOT_ALLOWED', 'CONNECT is not served here: the gateway is not a forward proxy.'));
  });
}
