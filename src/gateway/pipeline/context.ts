import type { X509Certificate } from 'node:crypto';
import type { ErrorCode, RequestChannel } from '../../core/index.js';
import type { HeaderMap, OutgoingHeaders } from '../net/header-map.js';
import type { LimitDecision } from '../limits/limiter.js';
import type { TokenMemo } from '../auth/token.js';
import type { EndpointRef } from '../routing/router.js';
import type { CompiledProfile, CompiledProxy } from '../snapshot/types.js';
import type { CompiledWorkflow } from '../workflows/compile.js';
import type { Exchange } from '../workflows/exchange.js';
import type { BackendAuth } from '../credentials/types.js';
import type { CallSpan } from '../../telemetry/otel/tracer.js';
import type { BodyCapture } from './capture.js';

/** A caller the adapter has already authenticated (e.g. the Gateway MCP's `execute_call`). */
export interface PreauthenticatedCaller {
  clientId: string;
  profileId: string;
  /** The signed-in person behind the profile (`user:<id>`), for the request log. */
  subject?: string;
}

/** Everything one call accumulates on its way through the pipeline; one object per call. */
export class CallContext {
  readonly startedAt = Date.now();
  readonly startTick = performance.now();
  proxy: CompiledProxy | null = null;
  endpoint: EndpointRef | null = null;
  /** When the adapter already chose the endpoint (MCP execute_call), the route must land on it. */
  expectedEndpointId: string | null = null;
  /** The request path below the proxy's base path. */
  rest = '';
  /** The `Allow` value when the path exists but the method does not. */
  allow: string | null = null;
  caller: CompiledProfile | null = null;
  credentialHeader: 'authorization' | 'x-api-key' | null = null;
  /** A JWT caller's verified claims (for workflows); null for every other caller. */
  claims: Record<string, unknown> | null = null;
  /** The connection's token memo, where the adapter has a connection (REST); null otherwise. */
  tokenMemo: TokenMemo | null = null;
  limit: LimitDecision | null = null;
  status = 0;
  errorCode: ErrorCode | null = null;
  upstreamMs: number | null = null;
  /** The request body's declared length (Content-Length), or -1 when the adapter does not know it up front (chunked). */
  declaredBytesIn = -1;
  bytesIn = 0;
  bytesOut = 0;
  requestCapture: BodyCapture | null = null;
  responseCapture: BodyCapture | null = null;
  mcpClient: string | null = null;
  mcpTool: string | null = null;
  preauth: PreauthenticatedCaller | null = null;
  /** The client certificate of the caller's TLS connection, when it presented one. */
  clientCert: X509Certificate | null = null;
  /** The socket peer is a trusted proxy, so its X-Forwarded-* headers are believed. */
  trustedPeer = false;
  /** The workflow the call runs; null for none (the path of a proxy without workflows is unchanged). */
  workflow: CompiledWorkflow | null = null;
  /** The call's passage through its workflow, once the request phase has begun. */
  exchange: Exchange | null = null;
  /** The credential the upstream request carries (a route group's own, else the proxy's); null for none. */
  backendAuth: BackendAuth | null = null;
  /** The access token the upstream request carried (oauth2 credentials), to forget if the upstream refuses it. */
  backendToken: string | null = null;
  /** The call was already sent again after an upstream 401. */
  backendRetried = false;
  /** For a CORS preflight (OPTIONS with Access-Control-Request-Method): the method it asks about. */
  preflightMethod: string | null = null;
  /** A CORS preflight's answer, set instead of running the call. */
  preflight: OutgoingHeaders | null = null;
  /** The call's trace span while it runs; null when the gateway does not trace. */
  span: CallSpan | null = null;

  constructor(
    readonly requestId: string,
    readonly channel: RequestChannel,
    readonly method: string,
    readonly path: string,
    /** `?…` or ''. */
    readonly query: string,
    readonly headers: HeaderMap,
    /** The resolved caller address (see trustProxy). */
    readonly ip: string | null,
    /** The socket peer, for X-Forwarded-For. */
    readonly peerIp: string | null,
    readonly secure: boolean,
  ) {}
}
