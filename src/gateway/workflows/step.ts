import type { NodePhase, NodeType, WorkflowNode } from '../../core/index.js';
import type { Contract } from '../catalog/contract.js';
import type { TlsPlan } from '../credentials/tls-plan.js';
import type { BackendAuth } from '../credentials/types.js';
import type { GuardrailServices } from '../guardrails/services.js';
import type { Limiter } from '../limits/limiter.js';
import type { UpstreamRegistry } from '../upstream/targets.js';
import type { ResponseCache } from './cache/response-cache.js';
import type { Exchange } from './exchange.js';

/** What a node does per call: small and synchronous unless it has to wait (a remote limiter, a cache, a transform). */
export type Step = (x: Exchange) => void | Promise<void>;

/** A node ready to run. */
export interface CompiledNode {
  readonly id: string;
  readonly type: NodeType;
  readonly run: Step;
}

/** The gateway's parts a workflow uses when it runs. */
export interface WorkflowServices {
  limiter: Limiter;
  cache: ResponseCache;
  /** Target sets for route groups; null where no call is sent (validation, dry runs). */
  upstreams: UpstreamRegistry | null;
  /** The proxy's connect timeout, for the route groups' connection pools. */
  connectMs: number;
  /** How a route group's https connections are made: the proxy's TLS settings with the group's credential (undefined: the proxy's). */
  tlsFor(auth: BackendAuth | null | undefined): TlsPlan | null;
  /** A backend credential by name, for route groups that name their own; null where no call is sent. */
  backendCredential: ((name: string) => BackendAuth | undefined) | null;
  /** An endpoint's contract, for validate_request. */
  contract(endpointId: string): Contract | undefined;
  /** Classifier calls and the approval desk of guardrail nodes; absent where no call is sent (validation, dry runs). */
  guardrails?: GuardrailServices | undefined;
}

/** What a node's compiler gets: its phase, the services, and where to report problems with its fields. */
export interface NodeEnv {
  readonly phase: NodePhase;
  readonly services: WorkflowServices;
  readonly workflow: { readonly id: string; readonly version: number };
  /** Records a problem with one of the node's fields: the workflow is then refused, never half-compiled. */
  problem(field: string, message: string): void;
  /** Compiles a branch of nodes (condition). */
  branch(nodes: readonly WorkflowNode[], field: string): CompiledNode[];
}

/** A node type's compiler: expensive setup here, once per snapshot; the returned step runs per call. */
export type NodeCompiler<N extends WorkflowNode> = (node: N, env: NodeEnv) => Step;
