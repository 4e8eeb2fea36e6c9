import { GatehouseError } from '../../core/index.js';
import type { OutgoingHeaders } from '../net/header-map.js';
import type { CallContext } from '../pipeline/context.js';
import type { TokenCache } from './token-cache.js';
import type { BackendAuth } from './types.js';

/** The credential a call's upstream request carries: its route group's own, else its proxy's; throws 503 when that one is unavailable. */
export function backendAuthOf(ctx: CallContext): BackendAuth | null {
  const own = ctx.exchange?.route?.auth;
  const auth = own !== undefined ? own : ctx.proxy!.backendAuth;
  if (auth === 'unavailable') throw new GatehouseError('GATEHOUSE_BACKEND_CREDENTIAL_UNAVAILABLE');
  return auth;
}

/**
 * Puts a call's backend credential on its upstream request headers. Returns null when done, or a
 * promise when an access token must be fetched first (the headers are set once it resolves). The
 * caller's own Authorization never goes along with a backend credential.
 */
export function applyBackendAuth(ctx: CallContext, headers: OutgoingHeaders, tokens: TokenCache): Promise<void> | null {
  const auth = ctx.backendAuth;
  if (auth === null) return null;
  delete headers.authorization;
  switch (auth.kind) {
    case 'header':
      headers[auth.header] = auth.value;
      return null;
    case 'oauth2': {
      const token = tokens.peek(auth);
      if (token !== null) {
        setBearer(ctx, headers, token);
        return null;
      }
      return tokens.get(auth).then((t) => setBearer(ctx, headers, t));
    }
    default:
      // query: added to the request's query (upstreamRequest); mtls: made by the connection pool.
      return null;
  }
}

function setBearer(ctx: CallContext, headers: OutgoingHeaders, token: string): void {
  ctx.backendToken = token;
  headers.authorization = `Bearer ${token}`;
}

/**
 * After an upstream 401 on a call that carried an access token: forgets the token and says the
 * call may be sent once more with a fresh one (only once, and only when its body can be replayed).
 */
export function retryAfterUnauthorized(ctx: CallContext, status: number, tokens: TokenCache, replayable: boolean): boolean {
  const auth = ctx.backendAuth;
  if (status !== 401 || auth?.kind !== 'oauth2' || ctx.backendToken === null || ctx.backendRetried || !replayable) return false;
  ctx.backendRetried = true;
  tokens.invalidate(auth, ctx.backendToken);
  return true;
}

/**
 * The query string with a query-parameter credential appended, any value the caller sent under that
 * name removed; the caller's other parameters keep their exact encoding.
 */
export function withQueryCredential(query: string, auth: BackendAuth | null): string {
  if (auth?.kind !== 'query') return query;
  const kept =
    query === ''
      ? []
      : query
          .slice(1)
          .split('&')
          .filter((pair) => pair !== '' && paramName(pair) !== auth.param);
  kept.push(`${encodeURIComponent(auth.param)}=${encodeURIComponent(auth.value)}`);
  return `?${kept.join('&')}`;
}

function paramName(pair: string): string {
  const eq = pair.indexOf('=');
  const raw = eq === -1 ? pair : pair.slice(0, eq);
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}
