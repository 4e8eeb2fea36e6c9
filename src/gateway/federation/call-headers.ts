import { AsyncLocalStorage } from 'node:async_hooks';
import type { FetchLike } from '@modelcontextprotocol/client';

/** Headers a workflow set for one call's request to the upstream (lower-case names); see upstreamHeadersOf. */
export type CallHeaders = Readonly<Record<string, string>>;

/** The call headers of the tools/call the SDK client is sending: its transport's fetch reads them (see withCallHeaders). */
export const callHeaders = new AsyncLocalStorage<CallHeaders>();

/** The call headers whose names the upstream's own headers (configured, credentials, framing) do not use: those win. */
export function beneath(extra: CallHeaders | null, own: Readonly<Record<string, string>>): CallHeaders {
  if (extra === null) return {};
  const taken = new Set(Object.keys(own).map((n) => n.toLowerCase()));
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(extra)) if (!taken.has(name)) out[name] = value;
  return out;
}

/** A fetch that adds the current call's headers (see callHeaders) where the request does not set them already. */
export function withCallHeaders(send: FetchLike): FetchLike {
  return (url, init) => {
    const extra = callHeaders.getStore();
    if (extra === undefined) return send(url, init);
    const headers = new Headers(init?.headers);
    for (const [name, value] of Object.entries(extra)) if (!headers.has(name)) headers.set(name, value);
    return send(url, { ...init, headers });
  };
}
