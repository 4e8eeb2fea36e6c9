import { configOperations } from './config/operations.js';
import type { Operation } from './operation.js';
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
  constructor(ops: readonly Operation[]) {
    for (const op of ops) {
      if (this.#ops.has(op.name)) throw new Error(`operation ${op.name} is declared twice`);
      this.#ops.set(op.name, op);
    }
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
  return new Registry([...ops, ...configOperations(ops)]);
}
