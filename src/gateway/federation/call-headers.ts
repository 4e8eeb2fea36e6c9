import { AsyncLocalStorage } from 'node:async_hooks';
import type { FetchLike } from '@modelcontextprotocol/client';

/** Headers a workflow set for one call's request to the upstream (lower-case names); see upstreamHeadersOf. */
export type CallHeaders = Readonly<Record<string, string>>;

/** The call headers of the call whose upstream leg is running (the pipeline sets them): the transports' fetch reads them (see withCallHeaders). */
export const callHeaders = new AsyncLocalStorage<CallHeaders>();

/** The call headers whose names the upstream's own headers (configured, credentials, framing) do not use: those win. */
export function beneath(extra: CallHeaders | null, own: Readonly<Record<string, string>>): CallHeaders {
  if (extra === null) return {};
  const taken = new Set(Object.keys(own).map((n) => n.toLowerCase()));
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(extra)) if (!taken.has(name)) out[name] = value;
  return out;
}

/** The JSON-RPC requests that are a call's upstream leg: the only ones its headers go with. */
const CALL_METHOD = /^\{[^{]*?"method":"(?:tools\/call|prompts\/get|resources\/read)"/;

/**
 * Whether a request is a call's own JSON-RPC request (the SDK writes `method` before `params`).
 * A session opened during a call (initialize), its event stream and whatever else runs on inside
 * the call's async context are not the call: they never carry its headers.
 */
function isCallRequest(init: RequestInit | undefined): boolean {
  return typeof init?.body === 'string' && CALL_METHOD.test(init.body);
}

/**
 * A fetch that adds the current call's headers (see callHeaders) to its request to the upstream,
 * where the request does not set them already (configured headers win; a per-request credential
 * set further in wins too).
 */
export function withCallHeaders(send: FetchLike): FetchLike {
  return (url, init) => {
    const extra = callHeaders.getStore();
    if (extra === undefined || !isCallRequest(init)) return send(url, init);
    const headers = new Headers(init?.headers);
    for (const [name, value] of Object.entries(extra)) if (!headers.has(name)) headers.set(name, value);
    return send(url, { ...init, headers });
  };
}
