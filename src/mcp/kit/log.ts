import { ProtocolError, ProtocolErrorCode } from '@modelcontextprotocol/server';

/** Where an MCP endpoint reports what went wrong: server faults with their stack, client mistakes as one line. */
export interface McpLog {
  /** A fault of ours (a bug, the store down): logged at error with the stack. */
  error(msg: string, err: unknown): void;
  /** A request the client got wrong, or a client that went away: logged at warn, no stack. */
  warn(msg: string, detail: { reason: string }): void;
}

// What the SDK's transports report for a request they refused: the client's doing, not ours.
const CLIENT_MISTAKE =
  /^(Not Acceptable|Unsupported Media Type|Invalid Request|Bad Request|Parse error|Method not allowed|Conflict|Session not found|Rejected inbound request|Invalid event ID)/i;
const CLIENT_GONE = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE']);

/** Whether an error the SDK or a request stream reported is the client's mistake (or departure) rather than a fault of ours. */
export function isClientMistake(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err instanceof ProtocolError) return err.code !== ProtocolErrorCode.InternalError;
  // Errors the SDK raises for a refused protocol version or missing capability carry a JSON-RPC client error code.
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'number' && code >= -32_700 && code <= -32_000 && code !== ProtocolErrorCode.InternalError) return true;
  if (typeof code === 'string' && CLIENT_GONE.has(code)) return true;
  if (err.name === 'ZodError' || err.message === 'aborted') return true;
  return CLIENT_MISTAKE.test(err.message);
}

/** Logs an error at the level it deserves. */
export function report(log: McpLog, msg: string, err: unknown): void {
  if (isClientMistake(err)) log.warn(msg, { reason: (err as Error).message.slice(0, 300) });
  else log.error(msg, err);
}
