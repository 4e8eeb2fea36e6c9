import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';
import { GatehouseError } from '../../core/index.js';
import type { OutgoingHeaders } from '../net/header-map.js';
import { sendContinue } from '../net/expect-continue.js';
import { discardRestOfBody } from '../net/linger.js';
import type { CompiledWorkflow } from '../workflows/compile.js';
import { Exchange } from '../workflows/exchange.js';
import { addExtraHeaders, finalResponse, storeInCache } from '../workflows/responses.js';
import { runNodes, runRequestPhase } from '../workflows/run.js';
import type { CallContext } from './context.js';
import type { GatewayCore } from './core.js';
import { hasBody, readRequestBody } from './rest-request-body.js';
import { Stage } from './rest-stage.js';
import { writeCacheHit } from './write-cache-hit.js';

/** What a REST call's workflow phases use of the call: its parts, its stage, the upstream body it buffers, and its ways on. */
export interface WorkflowCall {
  readonly core: GatewayCore;
  readonly ctx: CallContext;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  stage: Stage;
  /** The upstream body's chunks while the workflow buffers it. */
  buffered: Buffer[] | null;
  bufferedBytes: number;
  /** Sends the call upstream. */
  send(): void;
  /** Answers with the error response. */
  fail(err: unknown): void;
  /** Writes a whole response the gateway holds. */
  answer(status: number, headers: OutgoingHeaders, body: Buffer | null): void;
}

/** Opens the call's exchange and runs the request phase, once the body is read where a node needs it. */
export function startWorkflow(call: WorkflowCall, wf: CompiledWorkflow): void {
  const { ctx, req } = call;
  const x = new Exchange(ctx);
  ctx.exchange = x;
  if (!wf.requestBody || !hasBody(ctx, req)) {
    requestPhase(call, wf, x);
    return;
  }
  sendContinue(req, call.res);
  readRequestBody(ctx, req, wf.bodyLimitBytes).then(
    (body) => {
      x.setRequestBody(body);
      requestPhase(call, wf, x);
    },
    (err: unknown) => call.fail(err),
  );
}

function requestPhase(call: WorkflowCall, wf: CompiledWorkflow, x: Exchange): void {
  let pending: void | Promise<void>;
  try {
    pending = runRequestPhase(wf.request, x);
  } catch (err) {
    call.fail(err);
    return;
  }
  if (pending)
    pending.then(
      () => afterRequestPhase(call, wf, x),
      (err: unknown) => call.fail(err),
    );
  else afterRequestPhase(call, wf, x);
}

function afterRequestPhase(call: WorkflowCall, wf: CompiledWorkflow, x: Exchange): void {
  if (call.res.destroyed) return;
  if (x.answered === null) {
    call.send();
    return;
  }
  // Answered without the upstream: a cache hit is already the response phase's output; a mock still passes through it.
  if (x.answered === 'cache') {
    // A hit is written as stored, unless the workflow adds headers of its own (CORS) to every response.
    if (x.cacheHit !== null && x.extraResponseHeaders === null) {
      call.stage = Stage.Done;
      writeCacheHit(call.ctx, call.req, call.res, x.cacheHit);
      return;
    }
    writeWorkflowResponse(call, x);
    return;
  }
  responsePhase(call, wf, x);
}

function responsePhase(call: WorkflowCall, wf: CompiledWorkflow, x: Exchange): void {
  x.phase = 'response';
  let pending: void | Promise<void>;
  try {
    pending = runNodes(wf.response, x);
  } catch (err) {
    call.fail(err);
    return;
  }
  if (pending)
    pending.then(
      () => writeWorkflowResponse(call, x),
      (err: unknown) => call.fail(err),
    );
  else writeWorkflowResponse(call, x);
}

function writeWorkflowResponse(call: WorkflowCall, x: Exchange): void {
  if (call.res.destroyed) return;
  const out = finalResponse(x, call.ctx.requestId, call.ctx.limit);
  storeInCache(x, out, call.core.workflows.log);
  call.answer(out.status, out.headers, out.body);
}

/**
 * The response head under a workflow: response nodes that need no body run now, on the head;
 * otherwise (a node reads the body, or a cache stores it) the body is buffered first. Returns
 * true when buffering, so the head waits.
 */
export function workflowHead(call: WorkflowCall, x: Exchange, status: number, headers: OutgoingHeaders): boolean {
  const wf = call.ctx.workflow!;
  x.setResponse({ status, headers, body: null });
  if (wf.responseBody || x.cacheStore !== null) {
    call.buffered = [];
    call.bufferedBytes = 0;
    call.stage = Stage.Buffering;
    return true;
  }
  x.phase = 'response';
  // Nodes that need no body are synchronous (set/remove headers, conditions): compile guarantees it.
  if (runNodes(wf.response, x) !== undefined) throw new GatehouseError('GATEHOUSE_WORKFLOW_NODE_FAILED', 'A response node waited without a buffered body.');
  addExtraHeaders(headers, x);
  return false;
}

/** Keeps a chunk of the upstream body for the response phase, failing the call once it passes the workflow's buffer limit. */
export function bufferChunk(call: WorkflowCall, controller: Dispatcher.DispatchController, chunk: Buffer): void {
  call.bufferedBytes += chunk.length;
  call.ctx.responseCapture?.push(chunk);
  if (call.bufferedBytes > call.ctx.workflow!.bodyLimitBytes) {
    call.stage = Stage.Done;
    controller.abort(new Error('the response is larger than the workflow buffers'));
    call.fail(new GatehouseError('GATEHOUSE_WORKFLOW_RESPONSE_TOO_LARGE'));
    return;
  }
  call.buffered!.push(chunk);
}

/** The buffered upstream body is whole: the response phase runs on it. */
export function endBuffering(call: WorkflowCall): void {
  const x = call.ctx.exchange!;
  call.stage = Stage.Waiting;
  x.response!.body = Buffer.concat(call.buffered!, call.bufferedBytes);
  call.buffered = null;
  discardRestOfBody(call.req);
  responsePhase(call, call.ctx.workflow!, x);
}
