import type { CallToolResult, Tool } from '@modelcontextprotocol/server';
import { GatehouseError, type RestTool, type VirtualTarget } from '../../core/index.js';
import type { Catalog, CatalogEndpoint, Gateway, Identity, McpCaller, RowAdopter } from '../../gateway/index.js';
import { findOperation, type OperationLookup, type RelayCapabilities, restContract, restToolDefinition, restWithheld } from '../../gateway/federation/index.js';
import { callEndpoint } from '../catalog/call-endpoint.js';
import type { CallStream } from '../kit/endpoint.js';
import { heldAnswer } from '../kit/held-call.js';
import { restResult } from './rest-result.js';
import { errorResult } from './tool-error.js';
import { indexAsOperation } from './tool-search.js';
import { workflowFor } from './workflow-for.js';

/** What a REST tool call needs of the gateway: the catalog, who a person may act as, the REST door and the federated-call entry. */
export type RestGateway = Pick<Gateway, 'catalog' | 'personIdentities' | 'execute' | 'mcpCall' | 'mcpResult' | 'mcpRelayGuard'>;

/** What a REST tool call needs of its caller (a virtual server's RestCaller, declared there). */
export interface RestCaller extends McpCaller {
  names?: readonly string[] | undefined;
  era: 'legacy' | 'modern';
  relay: RelayCapabilities;
  signal?: AbortSignal | undefined;
}

/** One REST tool of a virtual server, resolved against one catalog. */
export interface RestRoute {
  readonly spec: RestTool;
  readonly endpointId: string;
  /** `METHOD /path` as the catalog lists it: how the request log and traces name the operation, however the admin named it. */
  readonly route: string;
  readonly tool: Tool;
  /** Why it is not served (its contract not approved, or changed since): listed nowhere, and a call is refused with this. */
  readonly withheld: GatehouseError | null;
}

/** A virtual server's REST tools by name (withheld ones too, so a call says why), with the served definitions in name order. */
export interface RestTools {
  readonly byName: ReadonlyMap<string, RestRoute>;
  readonly tools: readonly Tool[];
}

/** How long a REST tool call may take, end to end (the proxy's own upstream timeouts apply within it). */
const TIMEOUT_MS = 30_000;
/** The largest answer a model is given (as the default `maxResultChars` of an upstream MCP server). */
const MAX_RESULT_BYTES = 100_000;

/** The catalog's endpoints as a REST tool's operation is looked up (see findOperation). */
function lookupOf(catalog: Catalog): OperationLookup<CatalogEndpoint> {
  return {
    byId: (id) => catalog.byId.get(id),
    byRoute: (route) => catalog.byRoute.get(route),
    byOperationId: (operationId, slug) =>
      catalog.endpoints.filter((ep) => ep.info.operationId === operationId && (slug === null || ep.collection.slug === slug)),
  };
}

const built = new WeakMap<Catalog, Map<string, RestTools>>();
/** Each endpoint's contract pin, once per catalog (a CatalogEndpoint lives as long as its catalog). */
const pins = new WeakMap<CatalogEndpoint, string>();

/** The pin of the contract an endpoint has in its catalog (see restContract). */
function contractPin(ep: CatalogEndpoint): string {
  let pin = pins.get(ep);
  if (pin === undefined) {
    const { doc, contract } = ep.read();
    pin = restContract(doc, contract.paramsSchema, ep.method, ep.path).pin;
    pins.set(ep, pin);
  }
  return pin;
}

/**
 * A virtual server's REST tools against one catalog, built once per catalog (a config snapshot) and
 * server version. An operation that is not published (or not exposed to MCP) is left out, as an
 * upstream tool the upstream no longer offers is; so is a name an upstream tool already has.
 */
export function restToolsOf(target: VirtualTarget, catalog: Catalog, taken: (name: string) => boolean): RestTools {
  let bySlug = built.get(catalog);
  if (!bySlug) {
    bySlug = new Map();
    built.set(catalog, bySlug);
  }
  const key = `${target.slug}@${target.version}`;
  const found = bySlug.get(key);
  if (found) return found;
  const byName = new Map<string, RestRoute>();
  const lookup = lookupOf(catalog);
  for (const spec of target.restTools) {
    if (taken(spec.name)) continue;
    const ep = findOperation(lookup, spec.operation);
    if (!ep) continue;
    const { doc, contract } = ep.read();
    const tool = restToolDefinition(spec, doc, contract.paramsSchema, ep.method, ep.path);
    indexAsOperation(tool, ep.method, ep.path);
    byName.set(spec.name, { spec, endpointId: ep.id, route: `${ep.method} ${ep.path}`, tool, withheld: restWithheld(spec, contractPin(ep)) });
  }
  const tools = [...byName.values()]
    .filter((r) => r.withheld === null)
    .map((r) => r.tool)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out = { byName, tools };
  bySlug.set(key, out);
  return out;
}

/**
 * Who a REST tool call acts as: the first of the caller's profiles (those naming them to sign in) that
 * may call the endpoint; else anonymously where its collection admits anyone; else refused, saying how
 * an admin fixes it. The pipeline then checks that identity exactly as it checks a REST caller's.
 */
function identityFor(gateway: RestGateway, caller: RestCaller, ep: CatalogEndpoint, catalog: Catalog): Identity {
  const names = caller.names ?? [caller.subject.slice(caller.subject.indexOf(':') + 1)];
  for (const identity of gateway.personIdentities(names, caller.ip, caller.subject)) {
    if (catalog.view(identity.profile).visible[ep.index] === 1) return identity;
  }
  const snapshot = catalog.snapshot;
  if (catalog.view(null).visible[ep.index] === 1) return { snapshot, profile: null, credential: false, ip: caller.ip };
  throw new GatehouseError(
    'GATEHOUSE_FORBIDDEN',
    `None of your profiles may call ${ep.method} ${ep.path}: an admin names you in the signInUsers of a profile whose client has the collection ${ep.collection.slug}.`,
  );
}

/**
 * Headers of a virtual server's workflow that a REST tool's request may carry: all the pipeline
 * passes for an MCP upstream (see upstreamHeadersOf) but the credentials the gateway itself sends
 * or consumes. The API's credential is the proxy's backend credential, as for any REST call.
 */
function workflowHeaders(headers: Readonly<Record<string, string>> | null): Record<string, string> | null {
  if (headers === null) return null;
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (name !== 'authorization' && name !== 'cookie') out[name] = value;
  return Object.keys(out).length > 0 ? out : null;
}

/** The REST leg of a tool call: the caller's identity, then the endpoint through the REST pipeline, its answer as a tool result. */
async function runRest(
  gateway: RestGateway,
  target: VirtualTarget,
  route: RestRoute,
  args: Record<string, unknown>,
  caller: RestCaller,
  trace: RestCaller['trace'],
  setHeaders: Readonly<Record<string, string>> | null,
  onRecord: RowAdopter,
): Promise<CallToolResult> {
  // The live catalog: a call made after a config change runs against the endpoint as it is now.
  const catalog = gateway.catalog();
  const ep = catalog.byId.get(route.endpointId);
  if (!ep) throw new GatehouseError('GATEHOUSE_MCP_UNKNOWN_ENDPOINT', `The operation behind ${route.spec.name} is no longer published.`);
  // The contract as it is now must be the approved one: what the call is checked and sent against.
  const refused = restWithheld(route.spec, contractPin(ep));
  if (refused) throw refused;
  const identity = identityFor(gateway, caller, ep, catalog);
  const signal = caller.signal;
  const outcome = await callEndpoint(
    {
      gateway,
      identity,
      requestId: caller.requestId,
      mcpClient: caller.userAgent?.slice(0, 120) ?? null,
      userAgent: caller.userAgent,
      timeoutMs: TIMEOUT_MS,
      trace,
      headers: workflowHeaders(setHeaders),
      onRecord,
      ...(signal ? { signal } : {}),
    },
    ep,
    args,
    undefined,
    `${target.slug}/${route.spec.name}`,
  );
  if ('issues' in outcome) {
    const first = outcome.issues[0]!;
    throw new GatehouseError('GATEHOUSE_MCP_INVALID_ARGUMENTS', `${first.path} ${first.message}`, outcome.issues.slice(0, 50));
  }
  if ('timedOut' in outcome) throw outcome.timedOut;
  return restResult(outcome.response, MAX_RESULT_BYTES, route.tool.outputSchema !== undefined);
}

/**
 * A call of a REST tool, through the virtual server's federated-call entry (its per-tool rate limit,
 * its workflows and guardrails, traces) around the REST leg, which runs the proxy's own pipeline
 * (the caller's profile, access rules, policy limits, workflows, backend credential). The call is one
 * request-log row: the REST pipeline's, carrying the tool call's facts (see McpLeg.adopt); a call
 * refused before the REST leg has the virtual server's row. A refusal anywhere is a tool error with its GATEHOUSE_* code.
 */
export async function callRestTool(
  gateway: RestGateway,
  target: VirtualTarget,
  route: RestRoute,
  args: Record<string, unknown>,
  caller: RestCaller,
  stream: CallStream | undefined,
): Promise<CallToolResult> {
  const name = route.spec.name;
  const hints = route.tool.annotations ?? {};
  try {
    return await gateway.mcpCall(
      {
        method: 'tools/call',
        server: target.slug,
        name,
        upstream: { name: 'rest', url: `rest:${encodeURIComponent(route.endpointId)}` },
        upstreamName: route.route,
        arguments: args,
        caller,
        // A 2026-07-28 retry continues a call already counted.
        rateLimit: stream?.requestState ? null : (route.spec.rateLimit ?? null),
        workflow: workflowFor(target, name),
        readOnly: () => Promise.resolve(hints.readOnlyHint === true),
        destructive: () => Promise.resolve(hints.readOnlyHint !== true && hints.destructiveHint !== false),
      },
      (leg) => runRest(gateway, target, route, leg.arguments, caller, leg.trace, leg.headers, leg.adopt),
    );
  } catch (err) {
    if (!(err instanceof GatehouseError)) throw err;
    // A call held for approval (by the virtual server's workflow or the proxy's): the link as the caller's revision asks.
    return (
      heldAnswer(stream?.era ?? caller.era, caller.relay.urlElicitation === true, err, stream?.inputResponses) ??
      errorResult(err, route.tool.outputSchema !== undefined)
    );
  }
}
