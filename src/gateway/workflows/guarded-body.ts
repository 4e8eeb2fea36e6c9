import { GatehouseError, type NodePhase } from '../../core/index.js';
import type { Exchange } from './exchange.js';

/** The body a guardrail scans: JSON (parsed, walked by value) or text, with the raw bytes; null when there is none. */
export type GuardedBody = (({ json: unknown; text: null } | { json: undefined; text: string }) & { raw: Buffer }) | null;

const IDENTITY = /^\s*(identity)?\s*$/i;

/**
 * The body of the phase a guardrail runs in, bounded: a larger one is refused (413 for the
 * request, 502 for the response) rather than let through unscanned, and so is a compressed one,
 * which cannot be read.
 */
export function guardedBody(x: Exchange, phase: NodePhase, maxBytes: number, node: string): GuardedBody {
  const raw = guardedRaw(x, phase, maxBytes, node);
  return raw === null ? null : parsedBody(x, phase, raw);
}

/** The phase's body bytes, bounded and checked as guardedBody does, before they are parsed (a pre-check may make parsing needless). */
export function guardedRaw(x: Exchange, phase: NodePhase, maxBytes: number, node: string): Buffer | null {
  const raw = phase === 'request' ? x.requestBody : (x.response?.body ?? null);
  if (raw === null || raw.length === 0) return null;
  if (raw.length > maxBytes)
    throw new GatehouseError(
      phase === 'request' ? 'GATEHOUSE_WORKFLOW_BODY_TOO_LARGE' : 'GATEHOUSE_WORKFLOW_RESPONSE_TOO_LARGE',
      `Workflow node ${node} scans bodies up to ${maxBytes} bytes.`,
      { node },
    );
  const encoding = phase === 'request' ? x.requestHeaders['content-encoding'] : x.response!.headers['content-encoding'];
  if (encoding !== undefined && !IDENTITY.test(String(encoding)))
    throw new GatehouseError('GATEHOUSE_GUARDRAIL_UNAVAILABLE', `Workflow node ${node} cannot scan a ${String(encoding)}-encoded body.`, { node });
  return raw;
}

/** The body guardedRaw returned, as JSON (parsed once per exchange) or text. */
export function parsedBody(x: Exchange, phase: NodePhase, raw: Buffer): GuardedBody & object {
  const json = phase === 'request' ? x.requestJson() : x.responseJson();
  if (json !== undefined) return { json, text: null, raw };
  return { json: undefined, text: raw.toString('utf8'), raw };
}

/** Replaces the phase's body with the guardrail's redaction. */
export function replaceBody(x: Exchange, phase: NodePhase, body: GuardedBody & object, value: unknown): void {
  const bytes = Buffer.from(body.text === null ? JSON.stringify(value) : (value as string));
  if (phase === 'request') x.setRequestBody(bytes);
  else x.setResponseBody(bytes);
}
