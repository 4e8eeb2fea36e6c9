import { GatehouseError } from '../../core/index.js';
import { checkClientActive, checkIpAllowed, resolveCaller } from '../auth/caller.js';
import { lookupEndpoint } from '../routing/router.js';
import { chargeLimit, profileCharge } from '../limits/limit-step.js';
import { headerValue } from '../net/header-map.js';
import type { CompiledProxy, Snapshot } from '../snapshot/types.js';
import type { CallContext } from './context.js';
import type { GatewayCore } from './core.js';

/** match: the proxy with the longest base path prefix, then its endpoint; unpublished APIs look absent. */
export function matchRoute(ctx: CallContext, snapshot: Snapshot): void {
  const path = ctx.path;
  let end = path.length;
  while (end > 0) {
    const proxy = snapshot.proxies.get(end === path.length ? path : path.slice(0, end));
    if (proxy) {
      if (!proxy.collection.published) break;
      const rest = path.slice(end);
      const found = lookupEndpoint(proxy.endpoints, rest, ctx.method);
      if (!found) break;
      ctx.proxy = proxy;
      ctx.rest = rest;
      if (found.endpoint) {
        // A path parameter could otherwise carry the call to a more specific endpoint (one hidden from MCP, say).
        if (ctx.expectedEndpointId !== null && found.endpoint.id !== ctx.expectedEndpointId) break;
        ctx.endpoint = found.endpoint;
        ctx.rest = asDocumented(found.endpoint.path, rest);
        return;
      }
      ctx.allow = found.allow;
      if (preflightOf(ctx, proxy, rest)) return;
      throw new GatehouseError('GATEHOUSE_METHOD_NOT_ALLOWED');
    }
    end = path.lastIndexOf('/', end - 1);
  }
  throw new GatehouseError('GATEHOUSE_ROUTE_NOT_FOUND');
}

/**
 * The path below the base as the upstream expects it: with a trailing slash exactly when the
 * endpoint's template has one (`/status/` and `/status` route alike; the upstream may not).
 */
function asDocumented(template: string, rest: string): string {
  if (template === '/' || rest === '' || rest === '/') return rest;
  const wantSlash = template.endsWith('/');
  if (wantSlash === rest.endsWith('/')) return rest;
  return wantSlash ? `${rest}/` : rest.slice(0, -1);
}

/**
 * A CORS preflight (an OPTIONS from a browser asking about another method) for an endpoint that
 * exists: routed as that method's endpoint, so its workflow's cors node can answer it.
 */
function preflightOf(ctx: CallContext, proxy: CompiledProxy, rest: string): boolean {
  if (ctx.method !== 'OPTIONS' || proxy.workflows === null || ctx.headers.origin === undefined) return false;
  const asked = headerValue(ctx.headers, 'access-control-request-method');
  if (asked === undefined) return false;
  const found = lookupEndpoint(proxy.endpoints, rest, asked.toUpperCase());
  if (!found?.endpoint) return false;
  ctx.proxy = proxy;
  ctx.rest = rest;
  ctx.endpoint = found.endpoint;
  ctx.preflightMethod = asked.toUpperCase();
  return true;
}

/** workflow: the one the call runs (the endpoint's own, else its proxy's); a preflight its cors node allows is answered here. */
function resolveWorkflow(ctx: CallContext, snapshot: Snapshot, core: GatewayCore): void {
  const proxy = ctx.proxy!;
  const workflow = proxy.workflows === null ? null : core.workflows.for(snapshot, proxy, ctx.endpoint?.id ?? null);
  ctx.workflow = workflow;
  if (ctx.preflightMethod === null) return;
  const origin = headerValue(ctx.headers, 'origin')!;
  ctx.preflight = workflow?.cors?.preflight(origin, ctx.preflightMethod) ?? null;
  if (ctx.preflight === null) throw new GatehouseError('GATEHOUSE_METHOD_NOT_ALLOWED');
}

/**
 * identify + authenticate: who is calling, by credential, JWT, `none` profile, or the adapter's word.
 * Synchronous except for JWTs (whose keys may have to be fetched): then it returns a promise.
 */
export function authenticate(ctx: CallContext, snapshot: Snapshot, core: GatewayCore, now: number): Promise<void> | undefined {
  if (ctx.preauth) {
    const p = snapshot.profiles.get(ctx.preauth.profileId);
    if (!p || p.client.id !== ctx.preauth.clientId) throw new GatehouseError('GATEHOUSE_CREDENTIAL_INVALID');
    ctx.caller = p;
    return undefined;
  }
  const collection = ctx.proxy!.collection;
  return resolveCaller(
    ctx,
    snapshot,
    core.keys,
    ctx.headers,
    now,
    ctx.tokenMemo,
    collection.allowAnonymous,
    ctx.clientCert,
    snapshot.certificates.collections.has(collection.id),
  );
}

/** authorize: client status, collection grant, method, IP allowlist — each refusal its own code. */
export function authorize(ctx: CallContext): void {
  const caller = ctx.caller;
  if (!caller) return;
  checkClientActive(caller);
  if (!caller.collections.has(ctx.proxy!.collection.id)) throw new GatehouseError('GATEHOUSE_COLLECTION_NOT_GRANTED');
  const method = ctx.method === 'HEAD' && !caller.methods.has('HEAD') ? 'GET' : ctx.method;
  if (!caller.methods.has(method)) throw new GatehouseError('GATEHOUSE_METHOD_DENIED');
  checkIpAllowed(caller, ctx.ip);
}

/** size: a body declared larger than the proxy accepts is refused before it is read or counted against limits. */
export function checkBodySize(ctx: CallContext): void {
  if (ctx.declaredBytesIn > ctx.proxy!.proxy.maxRequestBodyBytes) throw new GatehouseError('GATEHOUSE_BODY_TOO_LARGE');
}

/** limits: the caller's rate windows and quotas, through the one limit step; refused calls consume nothing. Synchronous with a limiter that offers `consumeNow`. */
export function applyLimits(ctx: CallContext, core: GatewayCore, now: number): Promise<void> | undefined {
  const charge = profileCharge(ctx.caller?.limits, ctx.ip);
  if (charge === null) return undefined;
  return chargeLimit(core.limiter, charge, now, (decision) => {
    ctx.limit = decision;
  });
}

function afterAuthentication(ctx: CallContext, core: GatewayCore, now: number): Promise<void> | undefined {
  authorize(ctx);
  checkBodySize(ctx);
  // The workflow's request phase follows in the transport (rest.ts, execute.ts), between limits and the upstream call.
  return applyLimits(ctx, core, now);
}

/**
 * Runs every step before the upstream call, in pipeline order, against the live snapshot. Returns
 * a promise only when a step has to wait (JWT keys, a remote limiter); otherwise it has finished
 * (or thrown) when it returns, and the caller skips the await.
 */
export function runChecks(ctx: CallContext, core: GatewayCore): Promise<void> | undefined {
  const snapshot = core.snapshots.current();
  const now = Date.now();
  matchRoute(ctx, snapshot);
  if (ctx.proxy!.workflows !== null) {
    resolveWorkflow(ctx, snapshot, core);
    // Browsers send preflights without credentials: answered before authentication, as CORS requires.
    if (ctx.preflight !== null) return undefined;
  }
  const authenticating = authenticate(ctx, snapshot, core, now);
  if (authenticating) return authenticating.then(() => afterAuthentication(ctx, core, now));
  return afterAuthentication(ctx, core, now);
}
