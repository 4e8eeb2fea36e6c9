import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Recorder } from '../telemetry/recorder.js';
import { KeySources } from './auth/key-sources.js';
import type { Limiter } from './limits/limiter.js';
import { compileIpMatcher } from './net/ip-matcher.js';
import type { ExecuteLimits, GatewayCore } from './pipeline/core.js';
import { executeCall, type GatewayRequest, type GatewayResponse } from './pipeline/execute.js';
import { handleRest } from './pipeline/rest.js';
import { pinTickShape } from './pipeline/tick-shape.js';
import type { SnapshotHolder } from './snapshot/holder.js';
import { type UpstreamPoolOptions, UpstreamRegistry } from './upstream/targets.js';

/** What a gateway is built from; the snapshots, limiter and recorder stay the caller's to close. */
export interface GatewayOptions {
  snapshots: SnapshotHolder;
  limiter: Limiter;
  recorder: Recorder;
  /** Peers (CIDRs or addresses) whose X-Forwarded-For / -Proto / -Host are believed. */
  trustProxy?: string[];
  limits?: Partial<ExecuteLimits>;
  upstream?: UpstreamPoolOptions;
}

/** The data plane: one pipeline behind two entry points. */
export interface Gateway {
  /** The node:http handler for every proxied (non-admin) path. */
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** The channel-neutral, buffered entry (Gateway MCP `execute_call`, virtual-MCP tools). */
  execute(request: GatewayRequest): Promise<GatewayResponse>;
  /** Closes upstream connection pools. */
  close(): Promise<void>;
}

const MIB = 1_048_576;

/** Builds the gateway over a snapshot holder, a limiter and a recorder. */
export function createGateway(opts: GatewayOptions): Gateway {
  pinTickShape();
  const core: GatewayCore = {
    snapshots: opts.snapshots,
    limiter: opts.limiter,
    recorder: opts.recorder,
    keys: new KeySources(),
    upstreams: new UpstreamRegistry(opts.upstream),
    trustedProxies: compileIpMatcher(opts.trustProxy ?? []),
    limits: { maxRequestBytes: MIB, maxResponseBytes: MIB, ...opts.limits },
  };
  return {
    handle: (req, res) => handleRest(core, req, res),
    execute: (request) => executeCall(core, request),
    close: () => core.upstreams.close(),
  };
}
