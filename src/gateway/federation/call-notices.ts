import { AsyncLocalStorage } from 'node:async_hooks';

/** The MCP log levels, least severe first (RFC 5424's, as MCP names them). */
const LEVELS = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'] as const;
export type LogLevel = (typeof LEVELS)[number];

/** Whether `level` is one of MCP's log levels. */
export function isLogLevel(level: unknown): level is LogLevel {
  return typeof level === 'string' && (LEVELS as readonly string[]).includes(level);
}

/**
 * Who hears the log messages (`notifications/message`) an upstream sends on one call's own
 * response stream, and from what level: the caller of a 2026-07-28 request that opted in with
 * `_meta["io.modelcontextprotocol/logLevel"]`. The upstream's answer to that request is the only
 * place such a message can be tied to its call — a pooled session carries every call of its caller,
 * and a message has no request id — so the transports' readers (the lean call, and canonicalAnswers
 * for the SDK client) hand it over there, and the SDK client never sees it as session-wide news.
 */
export interface CallNotices {
  level: LogLevel;
  /** A message at `level` or above (the upstream may not filter: a 2025-era session's level is the caller's session's). */
  log(params: Record<string, unknown>): void;
}

/** The listener of the call whose upstream leg runs in this async context (see CallNotices). */
export const callNotices = new AsyncLocalStorage<CallNotices>();

/** Whether a message of `level` reaches someone who asked for `threshold` and above; an unknown level does (the caller decides). */
export function atLeast(level: unknown, threshold: LogLevel): boolean {
  if (!isLogLevel(level)) return true;
  return LEVELS.indexOf(level) >= LEVELS.indexOf(threshold);
}

/** The JSON-RPC requests whose answers carry a call's log messages. */
const CALL_METHOD = /^\{[^{]*?"method":"tools\/call"/;

/**
 * The listener a request sent now belongs to: the current call's, when the request is that call's
 * own `tools/call` (a session opened during the call, or its event stream, is not the call).
 */
export function noticesFor(body: unknown): CallNotices | undefined {
  const notices = callNotices.getStore();
  if (notices === undefined || typeof body !== 'string' || !CALL_METHOD.test(body)) return undefined;
  return notices;
}

/**
 * Hands a message read from a call's answer to its listener: true when it was the listener's (a log
 * message), which then goes nowhere else. A message below the listener's level is taken and dropped.
 */
export function tookNotice(notices: CallNotices | undefined, message: Record<string, unknown>): boolean {
  if (notices === undefined || message.method !== 'notifications/message') return false;
  const params = message.params;
  if (typeof params !== 'object' || params === null || Array.isArray(params)) return true;
  if (atLeast((params as { level?: unknown }).level, notices.level)) notices.log(params as Record<string, unknown>);
  return true;
}
