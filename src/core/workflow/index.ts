export * from './common.js';
export {
  ConditionNode,
  type ConditionNodeValue,
  NODE_TYPES,
  type NodeType,
  type NodeTypeInfo,
  WORKFLOW_MAX_DEPTH,
  WORKFLOW_MAX_NODES,
  WorkflowNode,
  type WorkflowNodeInput,
} from './node.js';
export { CacheNode } from './nodes/cache.js';
export { CorsNode } from './nodes/cors.js';
export { DetectPiiNode, GuardrailAction, NationalIdPattern, PiiType } from './nodes/detect-pii.js';
export { MockResponseNode } from './nodes/mock-response.js';
export { ChatRole, PromptClassifier, PromptGuardNode } from './nodes/prompt-guard.js';
export { RateLimitNode } from './nodes/rate-limit.js';
export { unsafePatternProblem } from './safe-pattern.js';
export { JsonPath, RedactResponseFieldsNode } from './nodes/redact-response-fields.js';
export { RemoveHeadersNode } from './nodes/remove-headers.js';
export { RequireClaimsNode } from './nodes/require-claims.js';
export { RewritePathNode } from './nodes/rewrite-path.js';
export { RouteNode } from './nodes/route.js';
export { SetHeadersNode } from './nodes/set-headers.js';
export { SetQueryNode } from './nodes/set-query.js';
export { PolicyDecision, ToolPolicyNode, ToolPolicyRule } from './nodes/tool-policy.js';
export { TransformJsonNode } from './nodes/transform-json.js';
export { ValidateRequestNode } from './nodes/validate-request.js';
export * from './ref.js';
export * from './workflow.js';
