import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Recorder } from '../telemetry/recorder.js';
import { KeySources } from './auth/key-sources.js';
import type { Limiter } from './limits/limiter.js';
import { compileIpMatcher } from './net/ip-matcher.js';
import type { ExecuteLimits, GatewayCore } from './pipeline/core.js';
import { type Catalog, catalogOf } from './catalog/catalog.js';
import { type LimitsReport, limitsReport } from './limits/report.js';
import type { HeaderMap } from './net/header-map.js';
import { type ExecuteOptions, executeCall, type GatewayRequest, type GatewayResponse } from './pipeline/execute.js';
import { type Identity, identify } from './pipeline/identify.js';
import { handleRest } from './pipeline/rest.js';
import { pinTickShape } from './pipeline/tick-shape.js';
import type { SnapshotHolder } from './snapshot/holder.js';
import type { CompiledProfile, Snapshot } from './snapshot/types.js';
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

/** The data plane: one pipeline behind two entry points, and what adapters read about callers and the catalog. */
export interface Gateway {
  /** The node:http handler for every proxied (non-admin) path. */
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** The channel-neutral, buffered entry (Gateway MCP `execute_call`, virtual-MCP tools); `signal` cancels it. */
  execute(request: GatewayRequest, options?: ExecuteOptions): Promise<GatewayResponse>;
  /** Identifies a caller by its headers and socket peer, as the pipeline would (throws the precise GatehouseError). */
  identify(headers: HeaderMap, peer: string | null | undefined): Promise<Identity>;
  /** The published API catalog compiled from a snapshot (an identity's, or the live one). */
  catalog(snapshot?: Snapshot): Catalog;
  /** A caller's limits and what is left of them, without consuming any. */
  limits(profile: CompiledProfile | null, ip: string | null): Promise<LimitsReport>;
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
    execute: (request, options) => executeCall(core, request, options),
    identify: (headers, peer) => identify(core, headers, peer),
    catalog: (snapshot) => catalogOf(snapshot ?? core.snapshots.current()),
    limits: (profile, ip) => limitsReport(core.limiter, profile, ip),
    close: () => core.upstreams.close(),
  };
}
