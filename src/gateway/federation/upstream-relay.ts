import type { Client, ClientCapabilities, FetchLike } from '@modelcontextprotocol/client';
import type { CallToolResult, Tool } from '@modelcontextprotocol/server';
import { GatehouseError, type UpstreamTarget } from '../../core/index.js';
import { withCallHeaders } from './call-headers.js';
import { loadClientSdk } from './client-sdk.js';
import { upstreamFetchFor } from './guarded-fetch.js';
import { scrubSecrets } from './scrub-secrets.js';
import { secretsOf, upstreamError } from './upstream-errors.js';

const CLIENT_INFO = { name: 'gatehouse-federation', version: '1' };

/** The server-to-client requests a relayed call passes on to its caller. */
export const RELAYED_REQUESTS = ['sampling/createMessage', 'elicitation/create', 'roots/list'] as const;
export type RelayedRequest = (typeof RELAYED_REQUESTS)[number];

/** The client capabilities a relay can honour for its caller: what the caller declared of sampling, elicitation and roots. */
export interface RelayCapabilities {
  sampling?: boolean;
  elicitation?: boolean;
  urlElicitation?: boolean;
  roots?: boolean;
}

/** What a relayed call sends to its caller while it runs; each request is answered by the caller (or fails the call). */
export interface RelaySink {
  request(method: RelayedRequest, params: Record<string, unknown> | undefined): Promise<Record<string, unknown>>;
  notify(method: string, params: Record<string, unknown> | undefined): void;
}

/** A call's bounds: server-to-client requests a call may make. */
const MAX_REQUESTS_PER_CALL = 16;

/** The stable key of a capability set, e.g. `elicitation,sampling`; empty for none. */
export function capabilitiesKey(caps: RelayCapabilities): string {
  const out: string[] = [];
  if (caps.elicitation) out.push(caps.urlElicitation ? 'elicitation+url' : 'elicitation');
  if (caps.roots) out.push('roots');
  if (caps.sampling) out.push('sampling');
  return out.join(',');
}

/** The MCP client capabilities of a capability set, as declared at an upstream's initialize. */
export function clientCapabilitiesOf(caps: RelayCapabilities): ClientCapabilities {
  return {
    ...(caps.sampling ? { sampling: {} } : {}),
    ...(caps.elicitation ? { elicitation: { form: {}, ...(caps.urlElicitation ? { url: {} } : {}) } } : {}),
    ...(caps.roots ? { roots: { listChanged: true } } : {}),
  };
}

/** Every capability a relay honours: what a curating session declares, so the upstream shows every tool it has. */
export const ALL_RELAYED: RelayCapabilities = { sampling: true, elicitation: true, urlElicitation: true, roots: true };

/** A fetch that adds the target's per-request headers (a cached OAuth token) and records them for scrubbing. */
function fetchFor(target: UpstreamTarget, sent: string[]): FetchLike {
  const dynamic = target.dynamicHeaders;
  const upstreamFetch = upstreamFetchFor(target);
  if (!dynamic) return upstreamFetch;
  return async (url, init) => {
    const got = await dynamic();
    sent.push(...Object.values(got.headers).flatMap((v) => [v, v.replace(/^Bearer\s+/i, '')]));
    const headers = new Headers(init?.headers);
    for (const [name, value] of Object.entries(got.headers)) headers.set(name, value);
    const res = await upstreamFetch(url, { ...init, headers });
    if (res.status === 401) got.refused();
    return res;
  };
}

/** An upstream session for one relayed exchange: its client, and how the exchange ends it. */
export interface RelaySession {
  readonly client: Client;
  /** The dynamic header values sent on it (an OAuth token), cut from what it answers. */
  readonly sent: string[];
  /** The exchange is over; `reusable` when it ended cleanly (a session that may serve its key's next exchange). */
  end(reusable: boolean): void;
}

/**
 * Opens the session of one relayed exchange of `scope` (a caller's subject, or '' for a listing),
 * its client declaring `caps`; `signal` ends the handshake too. An HTTP upstream's is a session of its
 * own (openHttpRelay); a stdio upstream's a child of its own (StdioSupervisor.lease).
 */
export type RelaySessionOpener = (target: UpstreamTarget, caps: RelayCapabilities, scope: string, signal: AbortSignal) => Promise<RelaySession>;

/**
 * A session of its own with an HTTP upstream, for one exchange: a request the upstream sends in it
 * comes back on that exchange's own streams, so it is that exchange's. Ended after it (the upstream forgets the session).
 */
export async function openHttpRelay(target: UpstreamTarget, caps: RelayCapabilities, _scope: string, signal: AbortSignal): Promise<RelaySession> {
  const { Client, StreamableHTTPClientTransport } = await loadClientSdk();
  const sent: string[] = [];
  const client = new Client(CLIENT_INFO, { capabilities: clientCapabilitiesOf(caps) });
  const transport = new StreamableHTTPClientTransport(new URL(target.url), {
    requestInit: { headers: { ...target.headers } },
    fetch: withCallHeaders(fetchFor(target, sent)),
  });
  const end = () =>
    void transport
      .terminateSession()
      .catch(() => undefined)
      .finally(() => client.close().catch(() => undefined));
  // The handshake too ends within the exchange's time: a closed transport fails the connect.
  const abort = () => void transport.close().catch(() => undefined);
  signal.addEventListener('abort', abort, { once: true });
  try {
    await client.connect(transport);
  } catch (err) {
    end();
    throw err;
  } finally {
    signal.removeEventListener('abort', abort);
  }
  return { client, sent, end };
}

/**
 * Runs `work` on a relay session declaring `caps` (see RelaySessionOpener), within the target's
 * timeout; `cancel` (the caller cancelled) aborts the exchange's requests, which the SDK client
 * tells the upstream (`notifications/cancelled`). A session that timed out, failed or was
 * cancelled is not reused: the upstream may still be at work in it.
 */
async function withSession<T>(
  open: RelaySessionOpener,
  target: UpstreamTarget,
  caps: RelayCapabilities,
  scope: string,
  work: (client: Client, signal: AbortSignal, sent: string[]) => Promise<T>,
  cancel?: AbortSignal,
): Promise<T> {
  const { ProtocolError } = await loadClientSdk();
  const abort = new AbortController();
  let timedOut = false;
  let session: RelaySession | undefined;
  const timer = setTimeout(() => {
    timedOut = true;
    abort.abort();
  }, target.timeoutMs);
  const signal = cancel ? AbortSignal.any([abort.signal, cancel]) : abort.signal;
  let clean = false;
  try {
    session = await open(target, caps, scope, signal);
    const sent = session.sent;
    const answer = scrubSecrets(await work(session.client, signal, sent), [...secretsOf(target), ...sent]);
    clean = !signal.aborted;
    return answer;
  } catch (err) {
    const sent = session?.sent ?? [];
    // The upstream asks the caller to open a link first (URL elicitation, -32042): the caller gets that same error.
    if (err instanceof ProtocolError && err.code === -32042) {
      clean = true;
      const data = scrubSecrets(err.data, [...secretsOf(target), ...sent]) as { elicitations?: unknown } | undefined;
      // The server SDK's error, which the virtual server (built on that SDK, so it is loaded) answers its caller with.
      const { UrlElicitationRequiredError } = await import('@modelcontextprotocol/server');
      if (Array.isArray(data?.elicitations)) throw new UrlElicitationRequiredError(data.elicitations, err.message);
    }
    if (cancel?.aborted && !timedOut) throw new GatehouseError('GATEHOUSE_CALL_CANCELLED');
    // A JSON-RPC error the upstream answered leaves the session as good as before.
    if (err instanceof ProtocolError && !signal.aborted) clean = true;
    throw upstreamError(target, err, timedOut, [...secretsOf(target), ...sent]);
  } finally {
    clearTimeout(timer);
    session?.end(clean);
  }
}

/**
 * The tools the upstream offers a client declaring `caps` (all pages), from a session of its own:
 * an upstream may offer tools only to clients able to answer its sampling, elicitation or roots requests.
 */
export function listToolsAs(open: RelaySessionOpener, target: UpstreamTarget, caps: RelayCapabilities): Promise<Tool[]> {
  return withSession(open, target, caps, '', async (client, signal) => {
    // A listing session asked for its roots has none: no call runs there that could use them.
    if (caps.roots) client.setRequestHandler('roots/list', () => ({ roots: [] }));
    const tools: Tool[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await client.listTools(cursor ? { cursor } : {}, { signal });
      tools.push(...page.tools);
      cursor = page.nextCursor;
    } while (cursor && ++pages < 64);
    return tools;
  });
}

/**
 * One tool call that streams: run in an upstream session of its own declaring what the caller
 * declared, its server-to-client requests (sampling, elicitation, roots) passed to the caller and
 * the answers back, its progress (under the caller's token) and log notifications relayed. At most
 * 16 requests per call; the call and every answer it waits for end within the upstream's timeout.
 * The session is the caller's (`scope`, their subject): a stdio child serving it is theirs alone.
 */
export function relayToolCall(
  open: RelaySessionOpener,
  target: UpstreamTarget,
  call: { name: string; args: Record<string, unknown>; scope: string; progressToken: string | number | undefined; cancel?: AbortSignal | undefined },
  caps: RelayCapabilities,
  sink: RelaySink,
): Promise<CallToolResult> {
  const { name, args, progressToken } = call;
  return withSession(
    open,
    target,
    caps,
    call.scope,
    async (client, signal, sent) => {
      let asked = 0;
      const relay = (method: RelayedRequest) => async (request: { params?: Record<string, unknown> }) => {
        if (++asked > MAX_REQUESTS_PER_CALL)
          throw new GatehouseError('GATEHOUSE_MCP_UPSTREAM_ERROR', `The upstream asked more than ${MAX_REQUESTS_PER_CALL} questions in one call.`);
        // What goes to the caller has the gateway's credentials cut out, like every other answer.
        const params = request.params === undefined ? undefined : scrubSecrets(request.params, [...secretsOf(target), ...sent]);
        return (await sink.request(method, params)) as never;
      };
      if (caps.sampling) client.setRequestHandler('sampling/createMessage', relay('sampling/createMessage'));
      if (caps.elicitation) client.setRequestHandler('elicitation/create', relay('elicitation/create'));
      if (caps.roots) client.setRequestHandler('roots/list', relay('roots/list'));
      client.setNotificationHandler('notifications/message', (n) =>
        sink.notify('notifications/message', scrubSecrets(n.params, [...secretsOf(target), ...sent])),
      );
      // A URL elicitation the caller completed out of band: the upstream says so, and the caller's client closes its prompt.
      if (caps.urlElicitation)
        client.setNotificationHandler('notifications/elicitation/complete', (n) => sink.notify('notifications/elicitation/complete', n.params));
      const result = await client.callTool(
        { name, arguments: args },
        {
          signal,
          timeout: target.timeoutMs,
          ...(progressToken !== undefined
            ? {
                onprogress: (p) => sink.notify('notifications/progress', { ...scrubSecrets(p, [...secretsOf(target), ...sent]), progressToken }),
                resetTimeoutOnProgress: false,
              }
            : {}),
        },
      );
      return result as CallToolResult;
    },
    call.cancel,
  );
}
