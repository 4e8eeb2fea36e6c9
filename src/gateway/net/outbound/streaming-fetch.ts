import { Agent, request } from 'undici';
import { codeOf, OutboundError } from './outbound-error.js';
import { checkTarget } from './target.js';
import { type Resolve, vettingLookup } from './vetting-lookup.js';

/** How a streaming fetch behaves: for clients of long-lived answers (the MCP SDK's event streams). */
export interface StreamingFetchOptions {
  /** Let requests reach loopback, private and link-local addresses (an upstream inside the network; tests). */
  allowPrivateNetworks: boolean;
  /** Longest a connection may take to open. */
  connectTimeoutMs: number;
  /** Longest the upstream may take to send the response headers once asked. */
  headersTimeoutMs: number;
  /** Longest the upstream may stay silent between two chunks of a body; an event stream's keep-alive comments count. */
  idleTimeoutMs: number;
  /** Largest event of an event stream, and largest body of any other answer; the stream itself may run for ever. */
  maxMessageBytes: number;
  /** Connections kept per origin. Default 128. */
  connections?: number;
  keepAliveTimeoutMs?: number;
  /** Stands in for DNS (tests); its answers are vetted like the system's. */
  resolve?: Resolve;
}

/** A fetch whose answers stream, with a close that ends its connections. */
export type StreamingFetch = ((url: string | URL, init?: RequestInit) => Promise<Response>) & { close(): Promise<void> };

const CR = 13;
const LF = 10;

/**
 * A fetch-shaped view of the outbound module that does not buffer: the target is checked and the
 * name's lookup vetted and pinned on the connection (no DNS rebinding), connecting and the headers are
 * bounded in time, a body must keep moving (idle timeout between chunks), and a single event of an
 * event stream, or a whole other body, is capped. Failures reject as fetch does (a TypeError
 * `fetch failed` whose cause is the OutboundError), so callers that read fetch's errors read these alike.
 */
export function streamingFetch(opts: StreamingFetchOptions): StreamingFetch {
  const dispatcher = new Agent({
    connections: opts.connections ?? 128,
    keepAliveTimeout: opts.keepAliveTimeoutMs ?? 10_000,
    headersTimeout: opts.headersTimeoutMs,
    bodyTimeout: opts.idleTimeoutMs,
    connect: { timeout: opts.connectTimeoutMs, lookup: vettingLookup(opts.allowPrivateNetworks, opts.resolve) },
  });
  const send = async (input: string | URL, init?: RequestInit): Promise<Response> => {
    const signal = init?.signal ?? undefined;
    let url: URL;
    try {
      url = checkTarget(input, opts.allowPrivateNetworks);
    } catch (err) {
      throw new TypeError('fetch failed', { cause: err });
    }
    const body = init?.body;
    if (body !== undefined && body !== null && typeof body !== 'string')
      throw new TypeError('fetch failed', { cause: new OutboundError('refused', 'only text bodies are sent') });
    let res: Awaited<ReturnType<typeof request>>;
    try {
      res = await request(url, {
        method: (init?.method ?? 'GET') as 'GET',
        headers: Object.fromEntries(new Headers(init?.headers).entries()),
        ...(typeof body === 'string' ? { body } : {}),
        ...(signal ? { signal } : {}),
        dispatcher,
      });
    } catch (err) {
      // The caller's own cancellation rejects with its reason, as fetch's does.
      if (signal?.aborted) throw signal.reason;
      throw new TypeError('fetch failed', { cause: failure(err, url, opts) });
    }
    const headers = new Headers();
    for (const [name, value] of Object.entries(res.headers)) for (const v of [value ?? []].flat()) headers.append(name, v);
    // A bodyless status may not carry a body in the Response constructor.
    if (res.statusCode === 204 || res.statusCode === 205 || res.statusCode === 304 || init?.method === 'HEAD') {
      await res.body.dump().catch(() => undefined);
      return new Response(null, { status: res.statusCode, headers });
    }
    const eventStream = (headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase() === 'text/event-stream';
    return new Response(cappedStream(res.body, url, opts, eventStream, signal), { status: res.statusCode, headers });
  };
  return Object.assign(send, { close: () => dispatcher.close() });
}

/** The body as a web stream that fails once an event (or, for any other body, the whole) outgrows the cap. */
function cappedStream(
  body: AsyncIterable<Buffer> & { destroy(): unknown },
  url: URL,
  opts: StreamingFetchOptions,
  eventStream: boolean,
  signal: AbortSignal | undefined,
): ReadableStream<Uint8Array> {
  const chunks = body[Symbol.asyncIterator]();
  const size = eventStream ? eventSizer() : wholeSizer();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) return controller.close();
        if (size(next.value) > opts.maxMessageBytes) {
          body.destroy();
          const what = eventStream ? 'an event' : 'a body';
          return controller.error(new OutboundError('too-large', `${url.host} sent ${what} of more than ${opts.maxMessageBytes} bytes`));
        }
        controller.enqueue(new Uint8Array(next.value.buffer, next.value.byteOffset, next.value.byteLength));
      } catch (err) {
        controller.error(signal?.aborted ? signal.reason : failure(err, url, opts));
      }
    },
    cancel() {
      body.destroy();
    },
  });
}

/** Counts the whole body. */
function wholeSizer(): (chunk: Buffer) => number {
  let total = 0;
  return (chunk) => {
    total += chunk.byteLength;
    return total;
  };
}

/**
 * Counts the bytes of the event being received: an empty line (LF, CR or CRLF twice) ends an event
 * and starts the count again. Returns the largest count the chunk reached.
 */
function eventSizer(): (chunk: Buffer) => number {
  let current = 0;
  let lineStart = true;
  let afterCR = false;
  return (chunk) => {
    let largest = current;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (b === LF && afterCR) {
        afterCR = false;
        continue;
      }
      afterCR = b === CR;
      if (b === CR || b === LF) {
        if (lineStart) current = 0;
        lineStart = true;
        continue;
      }
      lineStart = false;
      current++;
      if (current > largest) largest = current;
    }
    return largest;
  };
}

function failure(err: unknown, url: URL, opts: StreamingFetchOptions): unknown {
  if (err instanceof OutboundError) return err;
  const code = codeOf(err);
  const wrap = (reason: ConstructorParameters<typeof OutboundError>[0], message: string) => Object.assign(new OutboundError(reason, message), { cause: err });
  if (code === 'GATEHOUSE_PRIVATE_ADDRESS') return wrap('refused', `${url.host} resolves to a non-public address`);
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return wrap('timeout', `${url.host} did not accept a connection within ${opts.connectTimeoutMs} ms`);
  if (code === 'UND_ERR_HEADERS_TIMEOUT') return wrap('timeout', `${url.host} did not answer within ${opts.headersTimeoutMs} ms`);
  if (code === 'UND_ERR_BODY_TIMEOUT') return wrap('timeout', `${url.host} sent nothing for ${opts.idleTimeoutMs} ms`);
  return wrap('unreachable', `${url.host} could not be reached (${code})`);
}
