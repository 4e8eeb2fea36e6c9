import { GatehouseError, type NodePhase } from '../../core/index.js';
import { decodeBody } from './body-decoding.js';
import type { Exchange } from './exchange.js';

/** The body a guardrail scans: JSON (parsed, walked by value) or text, with the raw bytes; null when there is none. */
export type GuardedBody = (({ json: unknown; text: null } | { json: undefined; text: string }) & { raw: Buffer }) | null;

/**
 * The body of the phase a guardrail runs in, bounded and decoded: a larger one is refused (413
 * for the request, 502 for the response) rather than let through unscanned, and one that cannot
 * be decoded too (415 / 502).
 */
export function guardedBody(x: Exchange, phase: NodePhase, maxBytes: number, node: string): GuardedBody {
  const raw = guardedRaw(x, phase, maxBytes, node);
  return raw === null ? null : parsedBody(x, phase, raw);
}

/**
 * The phase's body bytes, bounded and decoded as guardedBody does, before they are parsed (a
 * pre-check may make parsing needless). A body sent compressed or in another charset is replaced
 * by its decoded UTF-8 form, with its headers saying so, so every node after reads — and the
 * receiver gets — exactly what the guardrails judged.
 */
export function guardedRaw(x: Exchange, phase: NodePhase, maxBytes: number, node: string): Buffer | null {
  const raw = phase === 'request' ? x.requestBody : (x.response?.body ?? null);
  if (raw === null || raw.length === 0) return null;
  if (raw.length > maxBytes)
    throw new GatehouseError(
      phase === 'request' ? 'GATEHOUSE_WORKFLOW_BODY_TOO_LARGE' : 'GATEHOUSE_WORKFLOW_RESPONSE_TOO_LARGE',
      `Workflow node ${node} scans bodies up to ${maxBytes} bytes.`,
      { node },
    );
  const headers = phase === 'request' ? x.requestHeaders : x.response!.headers;
  const encoding = headers['content-encoding'];
  const type = headers['content-type'];
  const decoded = decodeBody(raw, type === undefined ? undefined : String(type), encoding === undefined ? undefined : String(encoding), maxBytes, phase, node);
  if (!decoded.changed) return raw;
  if (phase === 'request') {
    if (encoding !== undefined) x.removeRequestHeader('content-encoding');
    if (decoded.contentType !== null) x.setRequestHeader('content-type', decoded.contentType);
    x.setRequestBody(decoded.bytes);
  } else {
    delete x.response!.headers['content-encoding'];
    if (decoded.contentType !== null) x.response!.headers['content-type'] = decoded.contentType;
    x.setResponseBody(decoded.bytes);
  }
  return decoded.bytes;
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
