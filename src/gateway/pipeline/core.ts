import type { CallTracer } from '../../telemetry/otel/tracer.js';
import type { Recorder } from '../../telemetry/recorder.js';
import type { KeySources } from '../auth/key-sources.js';
import type { TokenCache } from '../credentials/token-cache.js';
import type { Limiter } from '../limits/limiter.js';
import type { IpMatcher } from '../net/ip-matcher.js';
import type { SnapshotHolder } from '../snapshot/holder.js';
import type { UpstreamRegistry } from '../upstream/targets.js';
import type { WorkflowRuntime } from '../workflows/runtime.js';

/** Size limits of the buffered (`execute`) entry point. */
export interface ExecuteLimits {
  /** Largest request body `execute` accepts. Default 1 MiB. */
  maxRequestBytes: number;
  /** Largest response body `execute` returns; beyond it the body is cut and marked truncated. Default 1 MiB. */
  maxResponseBytes: number;
}

/** What every step reads: the shared, long-lived parts of one gateway. */
export interface GatewayCore {
  readonly snapshots: SnapshotHolder;
  readonly limiter: Limiter;
  readonly recorder: Recorder;
  readonly keys: KeySources;
  readonly upstreams: UpstreamRegistry;
  readonly trustedProxies: IpMatcher | null;
  readonly limits: ExecuteLimits;
  readonly workflows: WorkflowRuntime;
  /** Access tokens of oauth2 backend credentials. */
  readonly tokens: TokenCache;
  /** Call and upstream spans (OpenTelemetry); null when tracing is off, and then no span is ever made. */
  readonly tracer: CallTracer | null;
  /** Counts tokens shown to models by virtual servers (metrics: server and tool, never the user); must not throw. */
  readonly mcpTokens: McpTokensReport;
}

/** Tokens a virtual server listed (`listed`, tool '') or a tool call returned (`returned`). */
export type McpTokensReport = (server: string, tool: string, direction: 'listed' | 'returned', tokens: number) => void;
