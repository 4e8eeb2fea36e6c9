import type { z } from 'zod';
import type { OpenApiImportSettings } from './openapi/settings.js';
import { DEFAULT_OPENAPI_IMPORT_SETTINGS } from './openapi/settings.js';
import type { AnyOperation } from './operation.js';
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

/** Every operation this build has, in the order the surfaces list them. */
function operations(settings: RegistrySettings) {
  return [
    ...collectionOperations,
    ...proxyOperations,
    ...endpointOperations,
    importOpenApiOperation({ ...DEFAULT_OPENAPI_IMPORT_SETTINGS, ...settings.openapiImport }),
    ...policyOperations,
    ...clientOperations,
    ...profileOperations,
    ...credentialOperations,
    ...roleBindingOperations,
    ...serviceAccountOperations,
    ...userOperations,
    ...auditOperations,
    ...metricsOperations,
  ] as const;
}

/** One registered operation, with its name, input and output types. */
export type RegisteredOperation = ReturnType<typeof operations>[number];
/** The name of a registered operation, e.g. `collections.create`. */
export type OperationName = RegisteredOperation['name'];
/** The operation of that name. */
export type OperationNamed<N extends OperationName> = Extract<RegisteredOperation, { name: N }>;
/** What the operation takes (before defaults are filled in). */
export type OperationInput<N extends OperationName> = z.input<OperationNamed<N>['input']>;
/** What the operation returns. */
export type OperationOutput<N extends OperationName> = z.output<OperationNamed<N>['output']>;

/** What operations need from the node's configuration; passed in, so two nodes in one process never share it. */
export interface RegistrySettings {
  openapiImport?: Partial<OpenApiImportSettings>;
}

/** Every management operation, by name; adapters generate their surfaces from `all()`. */
export class Registry {
  readonly #ops = new Map<string, AnyOperation>();
  constructor(ops: readonly AnyOperation[]) {
    for (const op of ops) {
      if (this.#ops.has(op.name)) throw new Error(`operation ${op.name} is declared twice`);
      this.#ops.set(op.name, op);
    }
  }
  get(name: string): AnyOperation | undefined {
    return this.#ops.get(name);
  }
  all(): AnyOperation[] {
    return [...this.#ops.values()];
  }
}

/** The registry of the operations this build has (plus `extra`, for tests of the executor itself). */
export function createRegistry(settings: RegistrySettings = {}, extra: readonly AnyOperation[] = []): Registry {
  return new Registry([...operations(settings), ...extra]);
}
