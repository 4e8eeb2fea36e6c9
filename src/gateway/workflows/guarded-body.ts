import { GatehouseError, type NodePhase } from '../../core/index.js';
import type { Match } from '../guardrails/match.js';
import { decodeBody } from './body-decoding.js';
import { type EventStream, readEventStream, redactEventStream, streamValue } from './event-stream-body.js';
import type { Exchange } from './exchange.js';

/**
 * The body a guardrail scans: JSON (parsed, walked by value), a form's fields (`form`: walked by value
 * like JSON, written back as a form), an event stream's texts (`stream`: event-stream-body.ts) or text,
 * with the raw bytes; null when there is none.
 */
export type GuardedBody = (({ json: unknown; text: null; form?: true; stream?: EventStream } | { json: undefined; text: string }) & { raw: Buffer }) | null;

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

/** The body guardedRaw returned, as JSON (parsed once per exchange), a form's fields, or text. */
export function parsedBody(x: Exchange, phase: NodePhase, raw: Buffer): GuardedBody & object {
  const json = phase === 'request' ? x.requestJson() : x.responseJson();
  if (json !== undefined) return { json, text: null, raw };
  const type = (phase === 'request' ? x.requestHeaders : x.response?.headers)?.['content-type'];
  // A form's fields are what its receiver reads: `+` a space, each value percent-decoded, each after its name.
  if (type !== undefined && FORM.test(String(type))) return { json: formFields(raw.toString('utf8')), text: null, form: true, raw };
  // A stream's texts as its reader reads them: each field's pieces across events joined.
  const format = type === undefined ? null : EVENT_STREAM.test(String(type)) ? 'sse' : NDJSON.test(String(type)) ? 'ndjson' : null;
  const stream = format === null ? null : readEventStream(raw.toString('utf8'), format);
  if (stream !== null) return { json: streamValue(stream), text: null, stream, raw };
  return { json: undefined, text: raw.toString('utf8'), raw };
}

const EVENT_STREAM = /^\s*text\/event-stream\s*(?:;|$)/i;
// Newline-delimited JSON (Ollama's streamed answers, JSON Lines), under the names it is served with.
const NDJSON = /^\s*application\/(?:x-ndjson|ndjson|jsonl|x-jsonlines|jsonlines)\s*(?:;|$)/i;

const FORM = /^\s*application\/x-www-form-urlencoded\s*(?:;|$)/i;

/** A form body's (or a query's) fields by name (a name given twice holds its values in order), on an object without a prototype. */
export function formFields(text: string): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = Object.create(null);
  for (const [name, value] of new URLSearchParams(text)) {
    const had = fields[name];
    fields[name] = had === undefined ? value : Array.isArray(had) ? [...had, value] : [had, value];
  }
  return fields;
}

/**
 * A form body with the fields a guardrail changed written anew, the rest of it as it was: each pair is
 * read in order, and one whose value changed gets the new value encoded (spaces as `+`, a label's
 * brackets as they are).
 */
export function formText(original: string, fields: Record<string, unknown>): string {
  const seen = new Map<string, number>();
  return original
    .split('&')
    .map((pair) => {
      if (pair === '') return pair;
      const eq = pair.indexOf('=');
      const rawName = eq < 0 ? pair : pair.slice(0, eq);
      const name = new URLSearchParams(`${rawName}=`).keys().next().value ?? rawName;
      const before = new URLSearchParams(pair).values().next().value ?? '';
      const nth = seen.get(name) ?? 0;
      seen.set(name, nth + 1);
      const value = fields[name];
      const now = Array.isArray(value) ? value[nth] : value;
      if (now === undefined || String(now) === before) return pair;
      return `${rawName}=${encodeURIComponent(String(now)).replace(/%20/g, '+').replace(/%5B/g, '[').replace(/%5D/g, ']')}`;
    })
    .join('&');
}

/**
 * Replaces the phase's body with the guardrail's redaction. An event stream's is written into its
 * events: `matches` by text (a detect_pii scan's), else each of its texts `value` changed (or, a
 * string, every text) is replaced whole.
 */
export function replaceBody(x: Exchange, phase: NodePhase, body: GuardedBody & object, value: unknown, matches?: ReadonlyMap<string, readonly Match[]>): void {
  if ('stream' in body && body.stream !== undefined) {
    writeBody(x, phase, Buffer.from(redactEventStream(body.stream, streamEdits(body.stream, value, matches))));
    return;
  }
  const text =
    body.text !== null
      ? (value as string)
      : 'form' in body && typeof value === 'object' && value !== null
        ? formText(body.raw.toString('utf8'), value as Record<string, unknown>)
        : JSON.stringify(value);
  writeBody(x, phase, Buffer.from(text));
}

function writeBody(x: Exchange, phase: NodePhase, bytes: Buffer): void {
  if (phase === 'request') x.setRequestBody(bytes);
  else x.setResponseBody(bytes);
}

/** What to change in each of a stream's texts (by index): its matches, or a whole replacement. */
function streamEdits(stream: EventStream, value: unknown, matches: ReadonlyMap<string, readonly Match[]> | undefined): Map<number, readonly Match[] | string> {
  const edits = new Map<number, readonly Match[] | string>();
  stream.texts.forEach((t, i) => {
    const found = matches?.get(t.text);
    if (found !== undefined) edits.set(i, found);
    else if (matches === undefined) {
      const now = typeof value === 'string' ? value : (value as Record<string, unknown>[])[i]?.[t.field];
      if (typeof now === 'string' && now !== t.text) edits.set(i, now);
    }
  });
  return edits;
}
