import type { FetchLike } from '@modelcontextprotocol/client';
import { isIP } from 'node:net';
import { Agent, fetch as undiciFetch } from 'undici';
import { guardedLookup, isPrivateAddress } from '../net/outbound-guard.js';

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
 * A fetch for URLs an upstream named (its metadata, its authorization server's endpoints): only
 * http(s), never to internal addresses unless allowed (the lookup is vetted and pinned, so DNS
 * rebinding cannot redirect it), no redirects followed, bounded in time and size.
 */
export function guardedFetch(opts: GuardedFetchOptions = {}): FetchLike & { close(): Promise<void> } {
  const allowPrivate = opts.allowPrivateNetworks ?? false;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const maxBytes = opts.maxBytes ?? 256 * 1024;
  const agent = new Agent({
    connections: 8,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    ...(allowPrivate ? {} : { connect: { lookup: guardedLookup as never } }),
  });
  const send = async (input: string | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input));
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new GuardedFetchError(`${url.protocol} URLs are not fetched`);
    if (url.username || url.password) throw new GuardedFetchError('URLs with credentials are not fetched');
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (!allowPrivate && (host === 'localhost' || host.endsWith('.localhost') || (isIP(host) !== 0 && isPrivateAddress(host)))) {
      throw new GuardedFetchError(`${url.host} is a loopback, private or link-local address, which this gateway does not call`);
    }
    const signal = init?.signal ? AbortSignal.any([init.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
    let res: Awaited<ReturnType<typeof undiciFetch>>;
    try {
      res = await undiciFetch(url, { ...(init as object), signal, redirect: 'manual', dispatcher: agent });
    } catch (err) {
      const code = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
      throw new GuardedFetchError(
        code === 'GATEHOUSE_PRIVATE_ADDRESS' ? `${url.host} resolves to a non-public address` : `${url.host} could not be reached (${code})`,
      );
    }
    const body = await readCapped(res.body, maxBytes, url.host);
    // A bodyless status may not carry a body in the Response constructor.
    const empty = res.status === 204 || res.status === 304;
    return new Response(empty ? null : body, { status: res.status, statusText: res.statusText, headers: res.headers as unknown as Headers });
  };
  return Object.assign(send, { close: () => agent.close() });
}

async function readCapped(body: ReadableStream<Uint8Array> | null, max: number, host: string): Promise<Uint8Array> {
  if (!body) return new Uint8Array();
  const parts: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      throw new GuardedFetchError(`${host} answered more than ${max} bytes`);
    }
    parts.push(value);
  }
  return Buffer.concat(parts);
}
