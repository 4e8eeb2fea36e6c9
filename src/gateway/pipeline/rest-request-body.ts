import type { IncomingMessage } from 'node:http';
import { type Readable, Transform, type TransformCallback } from 'node:stream';
import { GatehouseError } from '../../core/index.js';
import { BodyCapture } from './capture.js';
import type { CallContext } from './context.js';

const TAP = Symbol('gatehouse.tap');

/** A caller's request, with the tap its body streams upstream through. */
export type TappedRequest = IncomingMessage & { [TAP]?: RequestTap };

/**
 * Bodies declared up to this size are read whole before dispatch rather than streamed (nginx's
 * default client_body_buffer_size on 64-bit; such a body almost always arrives with the head).
 */
const WHOLE_BODY_BYTES = 16 * 1024;

/**
 * Counts (and, when enabled, captures) the request body on its way upstream, and cuts it off with
 * 413 once it passes the proxy's limit (only a chunked body can: a declared length is checked first).
 */
class RequestTap extends Transform {
  constructor(
    private readonly ctx: CallContext,
    private readonly maxBytes: number,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    const ctx = this.ctx;
    ctx.bytesIn += chunk.length;
    if (ctx.bytesIn > this.maxBytes) {
      done(new GatehouseError('GATEHOUSE_BODY_TOO_LARGE'));
      return;
    }
    ctx.requestCapture?.push(chunk);
    done(null, chunk);
  }
}

/** Whether the call declares a body small enough to read whole before dispatch (WHOLE_BODY_BYTES). */
export function isSmallBody(ctx: CallContext, req: IncomingMessage): boolean {
  return ctx.declaredBytesIn > 0 && ctx.declaredBytesIn <= WHOLE_BODY_BYTES && req.headers['transfer-encoding'] === undefined;
}

/** Whether the call sends a body (declared, or chunked). */
export function hasBody(ctx: CallContext, req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || ctx.declaredBytesIn > 0;
}

/**
 * Reads the whole request body for a workflow node that needs it, up to the workflow's buffer
 * limit (and the proxy's own limit): a larger one is refused with 413 the moment it passes.
 */
export function readRequestBody(ctx: CallContext, req: IncomingMessage, workflowLimit: number): Promise<Buffer> {
  const proxyLimit = ctx.proxy!.proxy.maxRequestBodyBytes;
  const limit = Math.min(workflowLimit, proxyLimit);
  const tooLarge = () => new GatehouseError(workflowLimit < proxyLimit ? 'GATEHOUSE_WORKFLOW_BODY_TOO_LARGE' : 'GATEHOUSE_BODY_TOO_LARGE');
  if (ctx.declaredBytesIn > limit) return Promise.reject(tooLarge());
  const capture = ctx.proxy!.proxy.captureBodies;
  if (capture.enabled) ctx.requestCapture = encodedCapture(capture.maxBytes, ctx);
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    const onData = (chunk: Buffer) => {
      ctx.bytesIn += chunk.length;
      if (ctx.bytesIn > limit) {
        req.off('data', onData);
        reject(tooLarge());
        return;
      }
      ctx.requestCapture?.push(chunk);
      parts.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(parts, ctx.bytesIn)));
    req.once('error', reject);
    req.once('close', () => {
      if (!req.complete) reject(new GatehouseError('GATEHOUSE_CALL_CANCELLED', 'The caller went away before the body was sent.'));
    });
  });
}

function abortTapIfIncomplete(this: TappedRequest): void {
  if (!this.complete) this[TAP]?.destroy(new Error('the caller aborted the request'));
}

/**
 * The body to stream upstream, through a counting tap rather than the request itself: a failed
 * exchange's body is destroyed, and destroying the request would cut the socket before the 502 goes out.
 */
export function requestBody(ctx: CallContext, req: TappedRequest): Readable | null {
  if (req.headers['transfer-encoding'] === undefined && ctx.declaredBytesIn <= 0) return null;
  const capture = ctx.proxy!.proxy.captureBodies;
  if (capture.enabled) ctx.requestCapture = encodedCapture(capture.maxBytes, ctx);
  const tap = new RequestTap(ctx, ctx.proxy!.proxy.maxRequestBodyBytes);
  req[TAP] = tap;
  req.once('close', abortTapIfIncomplete);
  req.pipe(tap);
  return tap;
}

/** A capture of the request body, which the log shows decoded when the caller sent it encoded. */
function encodedCapture(maxBytes: number, ctx: CallContext): BodyCapture {
  const capture = new BodyCapture(maxBytes);
  capture.encodedAs(ctx.headers['content-encoding']);
  return capture;
}
