import { Agent, request } from 'undici';
import { codeOf, OutboundError } from './outbound-error.js';
import { checkTarget } from './target.js';
import { type Resolve, vettingLookup } from './vetting-lookup.js';

/** How one outbound client behaves; every server-side request the gateway makes goes through one. */
export interface OutboundOptions {
  /** Let requests reach loopback, private and link-local addresses (a service inside the network; tests). */
  allowPrivateNetworks: boolean;
  /** Longest a request may take, from connecting to the last byte of the body. */
  timeoutMs: number;
  /** Largest response body read; a larger one fails the request. */
  maxBytes: number;
  /** Longest a connection may take to open. Default the smaller of timeoutMs and 10 s. */
  connectTimeoutMs?: number;
  /** Redirects followed, each hop checked again as a new target. Default 0: a 3xx is returned as it is. */
  maxRedirects?: number;
  /** Connections kept per origin. Default 8. */
  connections?: number;
  keepAliveTimeoutMs?: number;
  /** Stands in for DNS (tests); its answers are vetted like the system's. */
  resolve?: Resolve;
}

/** One request: a small body (a form, a JSON document) and headers. */
export interface OutboundRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** A shorter time limit than the client's for this request. */
  timeoutMs?: number;
  /** A smaller cap than the client's for this request. */
  maxBytes?: number;
}

/** A response read to its end (within the cap). */
export interface OutboundResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** The URL that answered: the last hop when redirects are followed. */
  url: URL;
}

const REDIRECTS: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
const CROSS_ORIGIN_DROPPED = ['authorization', 'cookie', 'proxy-authorization'];

/**
 * The gateway's outbound HTTP: one address policy (checkTarget before connecting, the vetting lookup
 * on the connection), a time limit on the whole exchange, a body cap, and redirects off unless asked for.
 */
export class OutboundClient {
  /**
   * The connection pool, for callers that stream a response (lean MCP calls, to upstreams an
   * administrator configured): it carries the lookup, time limits and body cap, but a literal address
   * in the URL is only checked by `request` (no lookup runs for it).
   */
  readonly dispatcher: Agent;
  readonly #opts: OutboundOptions;

  constructor(opts: OutboundOptions) {
    this.#opts = opts;
    this.dispatcher = new Agent({
      connections: opts.connections ?? 8,
      keepAliveTimeout: opts.keepAliveTimeoutMs ?? 4_000,
      headersTimeout: opts.timeoutMs,
      bodyTimeout: opts.timeoutMs,
      maxResponseSize: opts.maxBytes,
      connect: { timeout: opts.connectTimeoutMs ?? Math.min(opts.timeoutMs, 10_000), lookup: vettingLookup(opts.allowPrivateNetworks, opts.resolve) },
    });
  }

  /** Sends a request and reads its answer; every failure is an OutboundError. */
  async request(target: string | URL, init: OutboundRequest = {}): Promise<OutboundResponse> {
    const timeoutMs = Math.min(init.timeoutMs ?? this.#opts.timeoutMs, this.#opts.timeoutMs);
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    const maxBytes = Math.min(init.maxBytes ?? this.#opts.maxBytes, this.#opts.maxBytes);
    let url = checkTarget(target, this.#opts.allowPrivateNetworks);
    let method = init.method ?? 'GET';
    let body = init.body;
    let headers = { ...init.headers };
    for (let hops = 0; ; hops++) {
      const res = await this.#send(url, method, headers, body, signal, init.signal, timeoutMs);
      const location = res.headers.location;
      if (!REDIRECTS.has(res.statusCode) || typeof location !== 'string' || (this.#opts.maxRedirects ?? 0) === 0) {
        return { status: res.statusCode, headers: res.headers, body: await this.#read(res.body, url, maxBytes, init.signal, timeoutMs), url };
      }
      await res.body.dump().catch(() => undefined);
      if (hops >= (this.#opts.maxRedirects ?? 0)) throw new OutboundError('redirect', `${url.host} redirected more than ${hops} times`);
      const next = checkTarget(new URL(location, url), this.#opts.allowPrivateNetworks);
      if (res.statusCode === 303 || ((res.statusCode === 301 || res.statusCode === 302) && method === 'POST')) {
        method = 'GET';
        body = undefined;
      }
      if (next.origin !== url.origin) headers = Object.fromEntries(Object.entries(headers).filter(([k]) => !CROSS_ORIGIN_DROPPED.includes(k.toLowerCase())));
      url = next;
    }
  }

  /** A fetch-shaped view for libraries that take one (jose's remote key sets, the MCP SDK's OAuth): same policy, body read and capped first. */
  readonly fetch = async (url: string | URL, init?: RequestInit): Promise<Response> => {
    const body = init?.body;
    if (body !== undefined && body !== null && typeof body !== 'string' && !(body instanceof URLSearchParams))
      throw new OutboundError('refused', 'only text bodies are sent');
    const headers = new Headers(init?.headers);
    // What fetch would have said of a form body.
    if (body instanceof URLSearchParams && !headers.has('content-type')) headers.set('content-type', 'application/x-www-form-urlencoded;charset=UTF-8');
    const res = await this.request(url, {
      method: init?.method ?? 'GET',
      headers: Object.fromEntries(headers.entries()),
      ...(body ? { body: String(body) } : {}),
      ...(init?.signal ? { signal: init.signal } : {}),
    });
    const answered = new Headers();
    for (const [name, value] of Object.entries(res.headers)) for (const v of [value ?? []].flat()) answered.append(name, v);
    // A bodyless status may not carry a body in the Response constructor.
    const empty = res.status === 204 || res.status === 205 || res.status === 304;
    return new Response(empty ? null : new Uint8Array(res.body), { status: res.status, headers: answered });
  };

  close(): Promise<void> {
    return this.dispatcher.close();
  }

  async #send(
    url: URL,
    method: string,
    headers: Record<string, string>,
    body: string | undefined,
    signal: AbortSignal,
    own: AbortSignal | undefined,
    timeoutMs: number,
  ) {
    try {
      return await request(url, { method: method as 'GET', headers, ...(body !== undefined ? { body } : {}), signal, dispatcher: this.dispatcher });
    } catch (err) {
      throw this.#failure(err, url, own, timeoutMs);
    }
  }

  async #read(
    body: AsyncIterable<Buffer> & { destroy(): unknown },
    url: URL,
    maxBytes: number,
    own: AbortSignal | undefined,
    timeoutMs: number,
  ): Promise<Buffer> {
    const parts: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of body) {
        size += chunk.byteLength;
        if (size > maxBytes) throw new OutboundError('too-large', `${url.host} answered more than ${maxBytes} bytes`);
        parts.push(chunk);
      }
    } catch (err) {
      body.destroy();
      throw this.#failure(err, url, own, timeoutMs);
    }
    return Buffer.concat(parts);
  }

  #failure(err: unknown, url: URL, own: AbortSignal | undefined, timeoutMs: number): unknown {
    if (err instanceof OutboundError) return err;
    // The caller's own cancellation is theirs to handle, not a failure of the upstream.
    if (own?.aborted) return own.reason;
    const code = codeOf(err);
    if (code === 'GATEHOUSE_PRIVATE_ADDRESS') return new OutboundError('refused', `${url.host} resolves to a non-public address`);
    if (code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') return new OutboundError('too-large', `${url.host} answered more than ${this.#opts.maxBytes} bytes`);
    if (code === 'TimeoutError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT')
      return new OutboundError('timeout', `${url.host} did not answer within ${timeoutMs} ms`);
    return new OutboundError('unreachable', `${url.host} could not be reached (${code})`);
  }
}
