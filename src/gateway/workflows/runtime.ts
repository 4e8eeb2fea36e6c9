import { GatehouseError, type WorkflowRef } from '../../core/index.js';
import { tlsPlan } from '../credentials/tls-plan.js';
import type { Limiter } from '../limits/limiter.js';
import type { CompiledProxy, Snapshot } from '../snapshot/types.js';
import type { UpstreamRegistry } from '../upstream/targets.js';
import type { GuardrailServices } from '../guardrails/services.js';
import type { ResponseCache } from './cache/response-cache.js';
import { type CompiledWorkflow, compileWorkflow } from './compile.js';

/** A workflow that could not be compiled for this snapshot (a definition a newer gateway no longer accepts, a missing version). */
interface Broken {
  readonly broken: string;
}

/**
 * Compiles the workflows a snapshot's proxies run, once per snapshot (CEL parsed and type-checked,
 * schemas and templates compiled), with the gateway's limiter, cache and upstream pools.
 */
export class WorkflowRuntime {
  // Incremental snapshots keep an unchanged proxy's object: what its workflow was compiled from (the definitions, backend credentials, contracts) is checked by identity.
  readonly #compiled = new WeakMap<CompiledProxy, Map<string, { basis: Basis; compiled: CompiledWorkflow | Broken }>>();
  /** Virtual servers' workflows, per snapshot (they belong to no proxy). */
  readonly #mcp = new WeakMap<Snapshot, Map<string, CompiledWorkflow | Broken>>();

  constructor(
    readonly deps: {
      limiter: Limiter;
      cache: ResponseCache;
      upstreams: UpstreamRegistry;
      log: (msg: string, err: unknown) => void;
      guardrails?: GuardrailServices;
    },
  ) {}

  /** Reports what is not a caller's fault (a cache that cannot store, a stored workflow that no longer compiles). */
  get log(): (msg: string, err: unknown) => void {
    return this.deps.log;
  }

  /** The workflow a call to this proxy (and endpoint) runs, or null; throws when it exists but cannot run. */
  for(snapshot: Snapshot, proxy: CompiledProxy, endpointId: string | null): CompiledWorkflow | null {
    const workflows = proxy.workflows;
    if (workflows === null) return null;
    const own = endpointId !== null && workflows.endpoints.has(endpointId);
    const ref = own ? workflows.endpoints.get(endpointId)! : workflows.proxy;
    if (ref === null) return null;
    let forProxy = this.#compiled.get(proxy);
    if (forProxy === undefined) {
      forProxy = new Map();
      this.#compiled.set(proxy, forProxy);
    }
    const key = `${ref.id}@${ref.version ?? 'latest'}`;
    const held = forProxy.get(key);
    let compiled: CompiledWorkflow | Broken;
    if (held !== undefined && sameBasis(held.basis, snapshot)) compiled = held.compiled;
    else {
      compiled = this.#compile(snapshot, proxy, ref);
      forProxy.set(key, { basis: basisOf(snapshot), compiled });
    }
    if ('broken' in compiled)
      throw new GatehouseError('GATEHOUSE_WORKFLOW_NODE_FAILED', `The workflow ${ref.id} cannot run: ${compiled.broken}`, { workflow: ref.id });
    return compiled;
  }

  /**
   * The workflow a virtual server's call runs; throws when it cannot run. It belongs to no proxy:
   * its route nodes have no upstream to send to (the call goes to the MCP upstream).
   */
  forMcp(snapshot: Snapshot, ref: WorkflowRef): CompiledWorkflow {
    let forSnapshot = this.#mcp.get(snapshot);
    if (forSnapshot === undefined) {
      forSnapshot = new Map();
      this.#mcp.set(snapshot, forSnapshot);
    }
    const key = `${ref.id}@${ref.version ?? 'latest'}`;
    let compiled = forSnapshot.get(key);
    if (compiled === undefined) {
      compiled = this.#compile(snapshot, null, ref);
      forSnapshot.set(key, compiled);
    }
    if ('broken' in compiled)
      throw new GatehouseError('GATEHOUSE_WORKFLOW_NODE_FAILED', `The workflow ${ref.id} cannot run: ${compiled.broken}`, { workflow: ref.id });
    return compiled;
  }

  #compile(snapshot: Snapshot, proxy: CompiledProxy | null, ref: WorkflowRef): CompiledWorkflow | Broken {
    const defs = snapshot.workflows.get(ref.id);
    if (defs === undefined) return { broken: 'it does not exist' };
    const version = ref.version ?? defs.latest.version;
    // A past version is a proxy's pin (the config's) or a virtual server's (the MCP snapshot's).
    const definition =
      version === defs.latest.version ? defs.latest.definition : (defs.pinned.get(version) ?? snapshot.mcp.workflowPins.get(`${ref.id}@${version}`));
    if (definition === undefined) return { broken: `version ${version} is not stored` };
    const result = compileWorkflow(
      definition,
      { id: ref.id, version },
      {
        limiter: this.deps.limiter,
        cache: this.deps.cache,
        upstreams: proxy === null ? null : this.deps.upstreams,
        connectMs: proxy?.proxy.timeouts.connectMs ?? 10_000,
        tlsFor: (auth) => (proxy === null ? null : auth === undefined ? proxy.tls : tlsPlan(proxy.proxy.tls, auth)),
        backendCredential: proxy === null ? null : (name) => snapshot.backendCredentials.get(name),
        contract: (endpointId) => snapshot.endpointDocs.contract(endpointId),
        guardrails: this.deps.guardrails,
      },
    );
    if ('problems' in result) {
      const first = result.problems[0]!;
      this.deps.log(`workflow ${ref.id}@${version} cannot be compiled`, result.problems);
      return { broken: `${first.path}: ${first.message}` };
    }
    return result;
  }
}

/** What a proxy's compiled workflow was built from, besides the proxy itself. */
interface Basis {
  workflows: Snapshot['workflows'];
  backendCredentials: Snapshot['backendCredentials'];
  endpointDocs: Snapshot['endpointDocs'];
}

function basisOf(snapshot: Snapshot): Basis {
  return { workflows: snapshot.workflows, backendCredentials: snapshot.backendCredentials, endpointDocs: snapshot.endpointDocs };
}

function sameBasis(basis: Basis, snapshot: Snapshot): boolean {
  return basis.workflows === snapshot.workflows && basis.backendCredentials === snapshot.backendCredentials && basis.endpointDocs === snapshot.endpointDocs;
}
