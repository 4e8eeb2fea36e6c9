import { GatehouseError, type UpstreamTarget } from '../../core/index.js';
import { OutboundError } from '../net/outbound/outbound-error.js';
import { loadedClientSdk } from './client-sdk.js';

/**
 * The text with the upstream's secret header values cut out: an upstream that echoes the
 * credential it was sent (in an error or a result) must not hand it to the caller or the log.
 */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const value of secrets) if (value.length >= 4) out = out.split(value).join('[redacted]');
  return out;
}

/** The secret values a target sends upstream (static header values, and each without its auth scheme: an upstream may echo the bare credential; a stdio child's secret environment). */
export function secretsOf(target: UpstreamTarget): string[] {
  return [...Object.values(target.headers).flatMap((v) => [v, v.replace(/^(?:Bearer|Basic|Token)\s+/i, '')]), ...(target.stdio?.secrets ?? [])];
}

/** Whether a failure happened before the upstream answered at all (refused, reset, DNS). */
export function unreachable(err: unknown): boolean {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'].includes(code)) return true;
    if (e.message === 'fetch failed') return true;
  }
  return false;
}

/** The guard's refusal of an internal address, somewhere in the chain of causes (the SDK client and fetch wrap it), or undefined. */
export function privateAddressRefusal(err: unknown): OutboundError | undefined {
  for (let e: unknown = err; e instanceof Error; e = e.cause)
    if (e instanceof OutboundError && e.reason === 'refused' && /loopback|non-public/.test(e.message)) return e;
  return undefined;
}

/** The refusal of an upstream at an internal address, naming the deployment's setting and the server's field that allow it. */
export function privateUpstreamError(name: string, refusal: OutboundError): GatehouseError {
  const where = refusal.message.replace(/, which this gateway does not call$/, '');
  return new GatehouseError(
    'GATEHOUSE_MCP_UPSTREAM_PRIVATE',
    `The upstream MCP server ${name} is not called: ${where}. To allow it, an admin sets allowPrivateNetwork: true on this server, or the deployment sets GATEHOUSE_MCP_ALLOW_PRIVATE_UPSTREAMS=true for every server (on under serve --demo).`,
  );
}

/** The gateway's error for an upstream failure; the message names the upstream, never its credentials. */
export function upstreamError(target: UpstreamTarget, err: unknown, timedOut: boolean, secrets: readonly string[]): GatehouseError {
  // A failure of the gateway's own (a token it could not get) surfaces as itself, however deep the client wrapped it.
  for (let e: unknown = err; e instanceof Error; e = e.cause) if (e instanceof GatehouseError) return e;
  const refusal = privateAddressRefusal(err);
  if (refusal) return privateUpstreamError(target.name, refusal);
  if (timedOut) return new GatehouseError('GATEHOUSE_UPSTREAM_TIMEOUT', `The upstream MCP server ${target.name} did not answer within ${target.timeoutMs} ms.`);
  if (unreachable(err)) return new GatehouseError('GATEHOUSE_UPSTREAM_UNREACHABLE', `The upstream MCP server ${target.name} could not be reached.`);
  // A JSON-RPC error the upstream answered, from either call path, is shown with its code (once: an SDK v1 server writes it into its message).
  const sdk = loadedClientSdk();
  const rpc = sdk && err instanceof sdk.ProtocolError && !err.message.startsWith(`MCP error ${err.code}:`) ? `MCP error ${err.code}: ` : '';
  const detail = err instanceof Error ? scrub(rpc + err.message, secrets).slice(0, 300) : 'unknown error';
  return new GatehouseError('GATEHOUSE_MCP_UPSTREAM_ERROR', `The upstream MCP server ${target.name} failed: ${detail}`);
}
