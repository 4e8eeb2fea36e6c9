import { configOperations } from './config/operations.js';
import type { Operation, StreamOperation } from './operation.js';
import { exportStreams } from './operations/exports.js';
import { auditOperations } from './operations/audit-logs.js';
import { clientOperations } from './operations/clients.js';
import { collectionOperations } from './operations/collections.js';
import { credentialOperations } from './operations/credentials.js';
import { endpointOperations } from './operations/endpoints.js';
import { importOpenApiOperation } from './operations/import-openapi.js';
import { metricsOperations } from './operations/metrics.js';
import { policyOperations } from './operations/policies.js';
import { profileOperations } from './operations/profiles.js';
import { proxyOperations } from './operations/proxies.js';
import { roleBindingOperations } from './operations/role-bindings.js';
import { serviceAccountOperations } from './operations/service-accounts.js';
import { userOperations } from './operations/users.js';

/** Every management operation, by name; adapters generate their surfaces from `all()`. */
export class Registry {
  readonly #ops = new Map<string, Operation>();
  readonly #streams = new Map<string, StreamOperation>();
  constructor(ops: readonly Operation[], streams: readonly StreamOperation[] = []) {
    for (const op of ops) {
      if (this.#ops.has(op.name)) throw new Error(`operation ${op.name} is declared twice`);
      this.#ops.set(op.name, op);
    }
    for (const s of streams) {
      if (this.#ops.has(s.name) || this.#streams.has(s.name)) throw new Error(`operation ${s.name} is declared twice`);
      this.#streams.set(s.name, s);
    }
  }
  /** A streamed read (log exports) by name. */
  stream(name: string): StreamOperation | undefined {
    return this.#streams.get(name);
  }
  /** Every streamed read; the admin API and the CLI serve them, one-answer surfaces (MCP) cannot. */
  streams(): StreamOperation[] {
    return [...this.#streams.values()];
  }
  get(name: string): Operation | undefined {
    return this.#ops.get(name);
  }
  all(): Operation[] {
    return [...this.#ops.values()];
  }
}

/** The registry of the operations this build has. */
export function createRegistry(extra: readonly Operation[] = []): Registry {
  const ops = [
    ...collectionOperations,
    ...proxyOperations,
    ...endpointOperations,
    importOpenApiOperation,
    ...policyOperations,
    ...clientOperations,
    ...profileOperations,
    ...credentialOperations,
    ...roleBindingOperations,
    ...serviceAccountOperations,
    ...userOperations,
    ...auditOperations,
    ...metricsOperations,
    ...extra,
  ];
  return new Registry([...ops, ...configOperations(ops)], exportStreams);
}
