import type { FetchLike } from '@modelcontextprotocol/client';
import type { UpstreamTarget } from '../../core/index.js';
import { OutboundClient } from '../net/outbound/outbound-client.js';
import { OutboundError } from '../net/outbound/outbound-error.js';
import { type StreamingFetch, streamingFetch } from '../net/outbound/streaming-fetch.js';
import { MAX_MESSAGE_CHARS } from './mcp-answer.js';

/** Limits of the gateway's own OAuth requests to upstream authorization servers. */
export interface GuardedFetchOptions {
  /** Let requests reach loopback, private and link-local addresses (an authorization server inside the network; tests). */
  allowPrivateNetworks?: boolean;
  timeoutMs?: number;
  /** Largest response body read. */
  maxBytes?: number;
}

/** A refused or failed outbound OAuth request; the message is safe to show (it never carries what was sent). */
export class GuardedFetchError extends Error {}

/**
 * A fetch for URLs an upstream named (its metadata, its authorization server's endpoints), through
 * the outbound module: only http(s), never to internal addresses unless allowed (the lookup is vetted
 * and pinned, so DNS rebinding cannot redirect it), no redirects followed, bounded in time and size.
 */
export function guardedFetch(opts: GuardedFetchOptions = {}): FetchLike & { close(): Promise<void> } {
  const client = new OutboundClient({
    allowPrivateNetworks: opts.allowPrivateNetworks ?? false,
    timeoutMs: opts.timeoutMs ?? 10_000,
    maxBytes: opts.maxBytes ?? 256 * 1024,
  });
  const send = (input: string | URL, init?: RequestInit): Promise<Response> =>
    client.fetch(input, init).catch((err: unknown) => {
      throw err instanceof OutboundError ? new GuardedFetchError(err.message) : err;
    });
  return Object.assign(send, { close: () => client.close() });
}

// The limits of every fetch to upstream MCP servers: connecting takes at most 10 s, an answer's headers
// and each pause of its body at most 300 s (global fetch's limits; a call's signal carries its own
// timeout), and one event or JSON answer at most four times the largest message, as the lean call.
const UPSTREAM_LIMITS = { connectTimeoutMs: 10_000, headersTimeoutMs: 300_000, idleTimeoutMs: 300_000, maxMessageBytes: 4 * MAX_MESSAGE_CHARS };

// One per answer of the private-network rule, shared by every session; the lookup is vetted and pinned in both.
const publicOnly: StreamingFetch = streamingFetch({ ...UPSTREAM_LIMITS, allowPrivateNetworks: false });
const anyAddress: StreamingFetch = streamingFetch({ ...UPSTREAM_LIMITS, allowPrivateNetworks: true });

/**
 * The fetch of the SDK client's transports to one upstream MCP server (sessions, listings, relayed
 * calls), through the outbound module without buffering: never to a loopback, private or link-local
 * address unless the target may reach one (see mayReachPrivateNetwork).
 */
export function upstreamFetchFor(target: Pick<UpstreamTarget, 'allowPrivateNetwork'>): StreamingFetch {
  return target.allowPrivateNetwork ? anyAddress : publicOnly;
}
