import { z } from 'zod';
import { CelExpression, NodeBase, type NodePhase } from './common.js';
import { CacheNode } from './nodes/cache.js';
import { CorsNode } from './nodes/cors.js';
import { DetectPiiNode } from './nodes/detect-pii.js';
import { MockResponseNode } from './nodes/mock-response.js';
import { PromptGuardNode } from './nodes/prompt-guard.js';
import { RateLimitNode } from './nodes/rate-limit.js';
import { RedactResponseFieldsNode } from './nodes/redact-response-fields.js';
import { RemoveHeadersNode } from './nodes/remove-headers.js';
import { RequireClaimsNode } from './nodes/require-claims.js';
import { RewritePathNode } from './nodes/rewrite-path.js';
import { RouteNode } from './nodes/route.js';
import { SetHeadersNode } from './nodes/set-headers.js';
import { SetQueryNode } from './nodes/set-query.js';
import { ToolPolicyNode } from './nodes/tool-policy.js';
import { TransformJsonNode } from './nodes/transform-json.js';
import { ValidateRequestNode } from './nodes/validate-request.js';

/** The node types that hold no other nodes. */
const LEAVES = [
  SetHeadersNode,
  RemoveHeadersNode,
  RewritePathNode,
  SetQueryNode,
  RouteNode,
  ValidateRequestNode,
  RequireClaimsNode,
  RateLimitNode,
  MockResponseNode,
  CacheNode,
  TransformJsonNode,
  RedactResponseFieldsNode,
  CorsNode,
  DetectPiiNode,
  PromptGuardNode,
  ToolPolicyNode,
] as const;
type Leaf = (typeof LEAVES)[number];

// A recursive schema needs its type spelled out once: the condition node's own fields (the leaf
// types still come from their schemas).
/** A condition node as parsed. */
export interface ConditionNodeValue {
  type: 'condition';
  id: string;
  description?: string | undefined;
  expression: string;
  then: WorkflowNode[];
  else: WorkflowNode[];
}
interface ConditionNodeInput {
  type: 'condition';
  id: string;
  description?: string | undefined;
  expression: string;
  then?: WorkflowNodeInput[] | undefined;
  else?: WorkflowNodeInput[] | undefined;
}
/** Any workflow node, as parsed. */
export type WorkflowNode = z.output<Leaf> | ConditionNodeValue;
/** Any workflow node, as written. */
export type WorkflowNodeInput = z.input<Leaf> | ConditionNodeInput;

const branch = () =>
  z
    .array(z.lazy(() => WorkflowNode))
    .max(50)
    .default([]);

/** Runs `then` when the CEL expression is true, else `else` (the one node type that holds others). */
export const ConditionNode = z.strictObject({
  type: z.literal('condition'),
  ...NodeBase,
  /** A boolean CEL expression, e.g. `request.method == "POST" && "beta" in caller.claims.groups`. */
  expression: CelExpression,
  // biome-ignore lint/suspicious/noThenProperty: the branch names of a condition; an array is never a thenable.
  then: branch(),
  else: branch(),
});

/** How deep condition nodes nest (a top-level node is at depth 1). */
export const WORKFLOW_MAX_DEPTH = 10;
/** Nodes in one workflow, branches included. */
export const WORKFLOW_MAX_NODES = 500;

/** Any workflow node, told apart by `type`. */
export const WorkflowNode: z.ZodType<WorkflowNode, WorkflowNodeInput> = z.discriminatedUnion('type', [...LEAVES, ConditionNode]);
export type NodeType = WorkflowNode['type'];

// A recursive schema parses recursively: nodes nested a thousand deep would overflow the stack
// before any check could refuse them. Counting the nesting as the parse descends refuses the node
// past the limit with an issue at its path, and its content is never parsed. Parsing is synchronous,
// so one counter serves the parse in progress.
let nodeDepth = 0;
const parseNode = WorkflowNode._zod.run;
WorkflowNode._zod.run = (payload, ctx) => {
  if (nodeDepth >= WORKFLOW_MAX_DEPTH) {
    payload.issues.push({ code: 'custom', message: `condition nodes nest at most ${WORKFLOW_MAX_DEPTH} deep`, input: payload.value, path: [] });
    return payload;
  }
  nodeDepth++;
  try {
    return parseNode(payload, ctx);
  } finally {
    nodeDepth--;
  }
};

/** What each node type does, where it may run, and its schema: the catalog `nodes.list` shows. */
export interface NodeTypeInfo {
  type: NodeType;
  description: string;
  phases: readonly NodePhase[];
  /** Whether the node needs the body buffered (then the workflow must set `bodyLimitBytes`). */
  needsBody: boolean | 'request' | 'response';
  schema: z.ZodType;
}

const BOTH: readonly NodePhase[] = ['request', 'response'];
const REQUEST: readonly NodePhase[] = ['request'];
const RESPONSE: readonly NodePhase[] = ['response'];

/** Every node type, in the order the console and the docs list them. */
export const NODE_TYPES: readonly NodeTypeInfo[] = [
  {
    type: 'set_headers',
    phases: BOTH,
    needsBody: false,
    schema: SetHeadersNode,
    description: 'Set headers on the request to the upstream, or on the response, from templates over the call.',
  },
  {
    type: 'remove_headers',
    phases: BOTH,
    needsBody: false,
    schema: RemoveHeadersNode,
    description: 'Remove headers from the request to the upstream, or from the response.',
  },
  { type: 'rewrite_path', phases: REQUEST, needsBody: false, schema: RewritePathNode, description: 'Replace the path the upstream receives, from a template.' },
  { type: 'set_query', phases: REQUEST, needsBody: false, schema: SetQueryNode, description: 'Set or remove query parameters of the request to the upstream.' },
  {
    type: 'condition',
    phases: BOTH,
    needsBody: false,
    schema: ConditionNode,
    description: 'Run one branch of nodes or another, by a CEL expression over the call.',
  },
  {
    type: 'route',
    phases: REQUEST,
    needsBody: false,
    schema: RouteNode,
    description: 'Send the call to an upstream target group chosen by condition or weight (canary releases).',
  },
  {
    type: 'validate_request',
    phases: REQUEST,
    needsBody: 'request',
    schema: ValidateRequestNode,
    description: 'Refuse calls whose parameters or JSON body break the endpoint contract (400 naming the field).',
  },
  {
    type: 'require_claims',
    phases: REQUEST,
    needsBody: false,
    schema: RequireClaimsNode,
    description: 'Refuse JWT/OIDC callers without the required scopes, claims or roles (403 naming what is missing).',
  },
  {
    type: 'rate_limit',
    phases: REQUEST,
    needsBody: false,
    schema: RateLimitNode,
    description: 'An extra rate window on this route, keyed by client, address or a claim.',
  },
  {
    type: 'mock_response',
    phases: REQUEST,
    needsBody: false,
    schema: MockResponseNode,
    description: 'Answer with a templated status, headers and JSON body, without calling the upstream.',
  },
  {
    type: 'cache',
    phases: REQUEST,
    needsBody: 'response',
    schema: CacheNode,
    description: 'Serve repeated GET/HEAD calls from a cache bounded in bytes, honouring Cache-Control: no-store.',
  },
  {
    type: 'transform_json',
    phases: BOTH,
    needsBody: true,
    schema: TransformJsonNode,
    description: 'Rewrite the JSON body of the request or the response with a JSONata expression.',
  },
  {
    type: 'redact_response_fields',
    phases: RESPONSE,
    needsBody: 'response',
    schema: RedactResponseFieldsNode,
    description: 'Remove or mask fields of a JSON response before the caller (and the model) sees them.',
  },
  { type: 'cors', phases: REQUEST, needsBody: false, schema: CorsNode, description: 'Answer CORS preflights and add CORS headers to responses.' },
  {
    type: 'detect_pii',
    phases: BOTH,
    needsBody: true,
    schema: DetectPiiNode,
    description: 'Find PII and secrets in the body: redact them with a label of their type, refuse the call, or flag it.',
  },
  {
    type: 'prompt_guard',
    phases: BOTH,
    needsBody: true,
    schema: PromptGuardNode,
    description: 'Score the body for injected instructions (optionally with your own classifier): refuse, flag or redact.',
  },
  {
    type: 'tool_policy',
    phases: REQUEST,
    needsBody: 'request',
    schema: ToolPolicyNode,
    description: 'Allow, refuse or hold a call for human approval by CEL rules over the endpoint, its arguments and the caller.',
  },
];
