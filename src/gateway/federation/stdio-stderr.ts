import type { Readable } from 'node:stream';
import { scrub } from './upstream-errors.js';

/** Where a stdio child's stderr lines go (pino's signature). */
export interface StdioLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface StderrLimits {
  /** A longer line (in characters) is cut (and marked) before it is logged; the rest of it is dropped. */
  maxLineChars: number;
  /** Lines logged per second at most (with a burst of as many); the others are counted and reported as dropped. */
  linesPerSecond: number;
}

export const DEFAULT_STDERR_LIMITS: StderrLimits = { maxLineChars: 2_048, linesPerSecond: 20 };

/**
 * Logs a child's stderr line by line, bounded: what is held is one cut line, and a child that
 * floods stderr costs a counter, not the log. Secret environment values it prints are cut out.
 */
export function logStderr(
  stream: Readable,
  log: StdioLog,
  fields: { upstream: string },
  secrets: readonly string[],
  limits: StderrLimits = DEFAULT_STDERR_LIMITS,
): void {
  let pending = '';
  let cut = false;
  let tokens = limits.linesPerSecond;
  let refilledAt = Date.now();
  let dropped = 0;
  const emit = (line: string, truncated: boolean) => {
    const now = Date.now();
    tokens = Math.min(limits.linesPerSecond, tokens + ((now - refilledAt) / 1_000) * limits.linesPerSecond);
    refilledAt = now;
    if (tokens < 1) {
      dropped++;
      return;
    }
    tokens--;
    if (dropped > 0) {
      log.warn({ ...fields, dropped }, 'stdio upstream stderr lines dropped (over the rate limit)');
      dropped = 0;
    }
    log.info({ ...fields, stderr: scrub(line, secrets), ...(truncated ? { truncated: true } : {}) }, 'stdio upstream stderr');
  };
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    let from = 0;
    for (let nl = chunk.indexOf('\n'); nl !== -1; nl = chunk.indexOf('\n', from)) {
      if (!cut) emit((pending + chunk.slice(from, Math.min(nl, from + limits.maxLineChars))).replace(/\r$/, ''), nl - from > limits.maxLineChars);
      from = nl + 1;
      pending = '';
      cut = false;
    }
    if (cut) return;
    pending += chunk.slice(from, from + limits.maxLineChars);
    if (pending.length >= limits.maxLineChars) {
      emit(pending.slice(0, limits.maxLineChars), true);
      pending = '';
      cut = true;
    }
  });
  stream.on('end', () => {
    if (pending && !cut) emit(pending, false);
  });
  // A broken pipe on a dying child is not the gateway's fault; the exit is reported by the supervisor.
  stream.on('error', () => undefined);
}
