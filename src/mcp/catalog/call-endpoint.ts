import { type ErrorCode, GatehouseError } from '../../core/index.js';
import {
  type ArgumentIssue,
  type CatalogEndpoint,
  checkParams,
  encodeBody,
  type Gateway,
  type GatewayResponse,
  type Identity,
  type RowAdopter,
  serializeParams,
  type TraceHeaders,
} from '../../gateway/index.js';

/**
 * The one door from an MCP tool to a published REST endpoint, shared by the Gateway MCP's
 * `execute_call` and a virtual server's REST tools: the arguments checked against the contract,
 * written on the wire as it declares, and the call run through the gateway's REST pipeline as the
 * caller's identity (limits, workflows, backend credential, request log). Nothing here re-implements a step.
 */
export interface EndpointCaller {
  gateway: Pick<Gateway, 'execute'>;
  identity: Identity;
  mcpClient: string | null;
  userAgent: string | null;
  timeoutMs: number;
  trace: TraceHeaders | null;
  /** The request id the call is logged under (a virtual server's request, so its row and the REST row share it); absent: a fresh one. */
  requestId?: string;
  /** The caller cancelled (a virtual server's `notifications/cancelled`): the call is cancelled too. */
  signal?: AbortSignal;
  /**
   * Headers a virtual server's workflow set (set_headers) for a REST tool's call, already bounded
   * and filtered as for an MCP upstream: they go with the request into the REST pipeline over the
   * contract's own header arguments (the admin's rule wins over the model's values), where the
   * proxy's header rules, workflow and backend credential apply to them as to a REST caller's.
   */
  headers?: Readonly<Record<string, string>> | null;
  /** Takes the call's request-log entry instead of the recorder (a REST tool's call records one row: see McpLeg.adopt). */
  onRecord?: RowAdopter;
}

/** What a call came to: arguments that do not fit the contract, the call timing out (check it first), or the pipeline's answer. */
export type EndpointOutcome =
  | { readonly issues: readonly ArgumentIssue[] }
  | { readonly timedOut: GatehouseError; readonly response: GatewayResponse }
  | { readonly response: GatewayResponse };

/** Runs one call of `ep` with `params` (`{path, query, headers, cookies, body}`); `mcpTool` names the tool in the request log. */
export async function callEndpoint(ctx: EndpointCaller, ep: CatalogEndpoint, params: unknown, contentType: unknown, mcpTool: string): Promise<EndpointOutcome> {
  const checked = checkParams(ep.contract(), params, contentType);
  if ('issues' in checked) return { issues: checked.issues };
  const parts = checked.parts;
  const doc = ep.doc();
  const wire = serializeParams(ep.path, doc.parameters, parts);
  const encoded = 'issues' in wire ? wire : await encodeBody(doc, parts, ep.proxy.proxy.maxRequestBodyBytes, contentType);
  if ('issues' in encoded) return { issues: encoded.issues };
  const { path, headers } = wire as Exclude<typeof wire, { issues: unknown }>;
  const { body, contentType: sentType } = encoded;
  if (sentType) headers['content-type'] = sentType;
  if (ctx.userAgent) headers['user-agent'] = ctx.userAgent;
  if (ctx.headers) Object.assign(headers, ctx.headers);
  const { profile, credential, ip } = ctx.identity;
  // The timeout cancels the upstream request itself, not just the wait for it.
  const timeout = AbortSignal.timeout(ctx.timeoutMs);
  const signal = ctx.signal ? AbortSignal.any([timeout, ctx.signal]) : timeout;
  const response = await ctx.gateway.execute(
    {
      channel: 'mcp',
      method: ep.method,
      path,
      headers,
      body,
      ip,
      // An authenticated caller is pre-authenticated; an anonymous one goes through the pipeline's own anonymous path.
      caller:
        profile && credential
          ? { clientId: profile.client.id, profileId: profile.profile.id, ...(ctx.identity.subject ? { subject: ctx.identity.subject } : {}) }
          : null,
      ...(profile && !credential ? { headers: { ...headers, 'x-profile-id': profile.profile.id } } : {}),
      mcpClient: ctx.mcpClient,
      mcpTool,
      ...(ctx.requestId ? { requestId: ctx.requestId } : {}),
      endpointId: ep.id,
      trace: ctx.trace,
    },
    { signal, ...(ctx.onRecord ? { onRecord: ctx.onRecord } : {}) },
  );
  if (timeout.aborted && response.errorCode === 'GATEHOUSE_UPSTREAM_TIMEOUT')
    return { timedOut: new GatehouseError(response.errorCode, `The call did not finish within ${ctx.timeoutMs} ms.`), response };
  return { response };
}

/** The gateway's refusal of a call (rate limit, quota, access, a guardrail), read from its JSON error body: the same code and message as on REST. */
export function refusalOf(res: GatewayResponse): { code: ErrorCode; message: string; details: unknown } | null {
  if (!res.errorCode) return null;
  let message: string = new GatehouseError(res.errorCode).message;
  let details: unknown;
  try {
    const error = (JSON.parse(res.body.toString('utf8')) as { error: { message: string; details?: unknown } }).error;
    message = error.message;
    // What the caller needs to act on it: a held call's approval id and link, what a guardrail found.
    details = error.details;
  } catch {
    // keep the registry message
  }
  return { code: res.errorCode, message, details };
}

/** Whether a content type is JSON (`application/json`, `application/problem+json`, …). */
export function isJsonType(ct: string | undefined): boolean {
  return ct !== undefined && /^application\/([\w.+-]*\+)?json\b/i.test(ct.trim());
}
