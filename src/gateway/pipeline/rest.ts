import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatewayCore } from './core.js';
import { recordCall } from './record.js';
import { callOf, RestCall, type TrackedResponse, track } from './rest-call.js';
import { contextFor } from './rest-context.js';
import { startCallSpan } from './trace.js';

function onResponseClose(this: TrackedResponse): void {
  const call = callOf(this);
  const unfinished = call.abandon();
  const ctx = call.ctx;
  // The caller went away before the whole response: log it the way proxies conventionally do.
  if (ctx.status === 0 || unfinished) ctx.status = 499;
  recordCall(call.core, ctx);
}

/** The node:http entry: streams the call through the pipeline to the upstream and back. */
export function handleRest(core: GatewayCore, req: IncomingMessage, res: ServerResponse): void {
  const ctx = contextFor(core, req);
  if (core.tracer !== null) startCallSpan(core.tracer, ctx, null);
  const call = new RestCall(core, ctx, req, res);
  track(res, call);
  // 'close' comes once per response: on() spares the once() wrapper allocated per call.
  res.on('close', onResponseClose);
  call.start();
}
