import type { ErrorCode, RequestChannel } from '../../core/index.js';
import type { HeaderMap } from '../net/header-map.js';
import type { LimitDecision } from '../limits/limiter.js';
import type { TokenMemo } from '../auth/token.js';
import type { EndpointRef } from '../routing/router.js';
import type { CompiledProfile, CompiledProxy } from '../snapshot/types.js';
import type { BodyCapture } from './capture.js';

/** A caller the adapter has already authenticated (e.g. the Gateway MCP's `execute_call`). */
export interface PreauthenticatedCaller {
  clientId: string;
  profileId: string;
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
  /** The socket peer is a trusted proxy, so its X-Forwarded-* headers are believed. */
  trustedPeer = false;

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
