import type { z } from 'zod';
import { type CorsNode, NODE_TYPES, type NodePhase, type NodeType, type RequireClaimsNode, type WorkflowInput, type WorkflowNode } from '../../core/index.js';
import { compileCache } from './nodes/cache.js';
import { compileConditionNode } from './nodes/condition.js';
import { compileCors, type CorsPolicy, corsPolicy } from './nodes/cors.js';
import { compileDetectPii } from './nodes/detect-pii.js';
import { compileMockResponse } from './nodes/mock-response.js';
import { compilePromptGuard } from './nodes/prompt-guard.js';
import { compileRateLimit } from './nodes/rate-limit.js';
import { compileRedactResponseFields } from './nodes/redact-response-fields.js';
import { compileRemoveHeaders } from './nodes/remove-headers.js';
import { compileRequireClaims } from './nodes/require-claims.js';
import { compileRewritePath } from './nodes/rewrite-path.js';
import { compileRoute } from './nodes/route.js';
import { compileSetHeaders } from './nodes/set-headers.js';
import { compileSetQuery } from './nodes/set-query.js';
import { compileToolPolicy } from './nodes/tool-policy.js';
import { compileTransformJson } from './nodes/transform-json.js';
import { compileValidateRequest } from './nodes/validate-request.js';
import { WORKFLOW_LIMITS } from './budget.js';
import type { CompiledNode, NodeCompiler, NodeEnv, Step, WorkflowServices } from './step.js';

/** A workflow ready to run for one proxy (or endpoint): built once per config snapshot. */
export interface CompiledWorkflow {
  readonly id: string;
  readonly version: number;
  /** `wf_…@3`, as the request log names it. */
  readonly label: string;
  readonly request: readonly CompiledNode[];
  readonly response: readonly CompiledNode[];
  /** Whether a request-phase node reads the body (it is then buffered up to bodyLimitBytes). */
  readonly requestBody: boolean;
  /** Whether a node reads the response body (it is then buffered up to bodyLimitBytes). */
  readonly responseBody: boolean;
  readonly bodyLimitBytes: number;
  /** The CORS policy when the workflow has a cors node: preflights are answered before authentication. */
  readonly cors: CorsPolicy | null;
  /** What the Gateway MCP's inspect_contract tells a model about the workflow. */
  readonly validatesRequest: boolean;
  readonly requiredClaims: ReadonlyArray<z.output<typeof RequireClaimsNode>>;
}

/** One reason a workflow cannot be saved or served, by field path (`request[2].expression`) and node. */
export interface WorkflowProblem {
  path: string;
  node: string | null;
  message: string;
}

// Each compiler is written for its own node type; the table dispatches on `type`.
const COMPILERS: { [T in NodeType]: NodeCompiler<Extract<WorkflowNode, { type: T }>> } = {
  set_headers: compileSetHeaders,
  remove_headers: compileRemoveHeaders,
  rewrite_path: compileRewritePath,
  set_query: compileSetQuery,
  condition: compileConditionNode,
  route: compileRoute,
  validate_request: compileValidateRequest,
  require_claims: compileRequireClaims,
  rate_limit: compileRateLimit,
  mock_response: compileMockResponse,
  cache: compileCache,
  transform_json: compileTransformJson,
  redact_response_fields: compileRedactResponseFields,
  cors: compileCors,
  detect_pii: compileDetectPii,
  prompt_guard: compilePromptGuard,
  tool_policy: compileToolPolicy,
};

const INFO = new Map(NODE_TYPES.map((t) => [t.type, t]));

/** The default body limit where a workflow buffers nothing (it is never used then). */
const NO_BODY = 0;

interface Walk {
  problems: WorkflowProblem[];
  ids: Set<string>;
  requestBody: boolean;
  responseBody: boolean;
  validatesRequest: boolean;
  claims: Array<z.output<typeof RequireClaimsNode>>;
  cors: z.output<typeof CorsNode> | null;
}

function compileList(
  nodes: readonly WorkflowNode[],
  phase: NodePhase,
  path: string,
  walk: Walk,
  base: Omit<NodeEnv, 'problem' | 'branch' | 'phase'>,
): CompiledNode[] {
  const out: CompiledNode[] = [];
  let answeredAt: string | null = null;
  nodes.forEach((node, i) => {
    const at = `${path}[${i}]`;
    const problem = (field: string, message: string) => walk.problems.push({ path: field ? `${at}.${field}` : at, node: node.id, message });
    if (answeredAt !== null) problem('', `unreachable: ${answeredAt} answers the call before it`);
    if (walk.ids.has(node.id)) problem('id', `the node id ${node.id} is used twice`);
    walk.ids.add(node.id);
    const info = INFO.get(node.type)!;
    if (!info.phases.includes(phase)) problem('type', `${node.type} runs only in the ${info.phases.join(' or ')} phase`);
    const needs = bodyNeed(node, phase);
    if (needs === 'request') walk.requestBody = true;
    else if (needs === 'response') walk.responseBody = true;
    if (node.type === 'validate_request') walk.validatesRequest = true;
    if (node.type === 'require_claims') walk.claims.push(node);
    if (node.type === 'cors') {
      if (walk.cors !== null) problem('', 'a workflow has at most one cors node');
      else if (path !== 'request')
        problem('', 'the cors node belongs at the top level of the request phase (preflights are answered before anything else runs)');
      walk.cors = node;
    }
    if (node.type === 'mock_response') answeredAt = `${node.id} (mock_response)`;
    const env: NodeEnv = {
      ...base,
      phase,
      problem,
      branch: (branch, field) => compileList(branch, phase, `${at}.${field}`, walk, base),
    };
    const compile = COMPILERS[node.type] as NodeCompiler<WorkflowNode>;
    const run: Step = compile(node, env);
    out.push({ id: node.id, type: node.type, run });
  });
  return out;
}

/** Compiles a workflow for a proxy's services; returns every problem instead when there is any (nothing half-compiled). */
export function compileWorkflow(
  def: WorkflowInput,
  identity: { id: string; version: number },
  services: WorkflowServices,
): CompiledWorkflow | { problems: WorkflowProblem[] } {
  const count = nodeCount(def);
  if (count > WORKFLOW_LIMITS.nodes)
    return {
      problems: [{ path: '', node: null, message: `a workflow has at most ${WORKFLOW_LIMITS.nodes} nodes, branches included (this one has ${count})` }],
    };
  const walk: Walk = { problems: [], ids: new Set(), requestBody: false, responseBody: false, validatesRequest: false, claims: [], cors: null };
  const base = { services, workflow: identity };
  const request = compileList(def.request, 'request', 'request', walk, base);
  const response = compileList(def.response, 'response', 'response', walk, base);
  if ((walk.requestBody || walk.responseBody) && def.bodyLimitBytes === undefined)
    walk.problems.push({ path: 'bodyLimitBytes', node: null, message: 'required: a node of this workflow reads the body, which is buffered up to this limit' });
  if (walk.problems.length > 0) return { problems: walk.problems };
  return {
    id: identity.id,
    version: identity.version,
    label: `${identity.id}@${identity.version}`,
    request,
    response,
    requestBody: walk.requestBody,
    responseBody: walk.responseBody,
    bodyLimitBytes: def.bodyLimitBytes ?? NO_BODY,
    cors: walk.cors ? corsPolicy(walk.cors) : null,
    validatesRequest: walk.validatesRequest,
    requiredClaims: walk.claims,
  };
}

/** How many nodes a definition has, branches included (counted before anything is compiled). */
function nodeCount(def: WorkflowInput): number {
  let count = 0;
  const stack: WorkflowNode[][] = [def.request, def.response];
  while (stack.length > 0) {
    for (const node of stack.pop()!) {
      count++;
      if (node.type === 'condition') stack.push(node.then, node.else);
    }
  }
  return count;
}

/** Which body a node reads: it is then buffered (up to the workflow's bodyLimitBytes) instead of streamed. */
function bodyNeed(node: WorkflowNode, phase: NodePhase): NodePhase | null {
  switch (node.type) {
    case 'validate_request':
      return node.body ? 'request' : null;
    case 'transform_json':
    case 'detect_pii':
    case 'prompt_guard':
      return phase;
    case 'tool_policy':
      return 'request';
    case 'cache':
    case 'redact_response_fields':
      return 'response';
    default:
      return null;
  }
}
