import type { z } from 'zod';
import type { OpenApiImportSettings } from './openapi/settings.js';
import { DEFAULT_OPENAPI_IMPORT_SETTINGS } from './openapi/settings.js';
import { configOperations } from './config/operations.js';
import type { AnyOperation, StreamOperation } from './operation.js';
import { exportStreams } from './operations/exports.js';
import { approvalOperations } from './operations/approvals.js';
import { auditOperations } from './operations/audit-logs.js';
import { backendCredentialOperations } from './operations/backend-credentials.js';
import { clientOperations } from './operations/clients.js';
import { collectionOperations } from './operations/collections.js';
import { credentialOperations } from './operations/credentials.js';
import { endpointOperations } from './operations/endpoints.js';
import { importOpenApiOperation } from './operations/import-openapi.js';
import { jobOperations } from './operations/jobs.js';
import { mcpConnectionOperations } from './operations/mcp-connections.js';
import { mcpGrantOperations } from './operations/mcp-grants.js';
import { mcpServerProbeOperation } from './operations/mcp-server-probe.js';
import { mcpServerOperations } from './operations/mcp-servers.js';
import { federationClients } from './operations/virtual-mcp-pins.js';
import { virtualMcpOperations } from './operations/virtual-mcps.js';
import type { TokenEndpointOptions } from '../gateway/index.js';
import type { StdioSupervisor, UserTokens } from '../gateway/federation/index.js';
import { mcpAnalyticsOperations } from './operations/mcp-analytics.js';
import { metricsOperations } from './operations/metrics.js';
import { policyOperations } from './operations/policies.js';
import { profileOperations } from './operations/profiles.js';
import { proxyOperations } from './operations/proxies.js';
import { roleBindingOperations } from './operations/role-bindings.js';
import { serviceAccountOperations } from './operations/service-accounts.js';
import { trustedIdpOperations } from './operations/trusted-idps.js';
import { rolePeopleOperation, virtualMcpPeopleOperation } from './operations/group-access.js';
import { userOperations } from './operations/users.js';
import { attachTemplateOperation } from './operations/workflow-attach.js';
import { workflowOperations } from './operations/workflows.js';

/** Every operation this build has, in the order the surfaces list them. */
function operations(settings: RegistrySettings) {
  const federation = federationClients(
    settings.federation?.tokenEndpoints,
    settings.federation?.perUser,
    settings.federation?.stdio,
    settings.federation?.allowPrivateUpstreams ?? false,
  );
  const resources = [
    ...collectionOperations,
    ...proxyOperations,
    ...backendCredentialOperations,
    ...endpointOperations,
    importOpenApiOperation({ ...DEFAULT_OPENAPI_IMPORT_SETTINGS, ...settings.openapiImport }),
    ...policyOperations,
    ...clientOperations,
    ...profileOperations,
    ...credentialOperations,
    ...mcpGrantOperations,
    ...roleBindingOperations,
    rolePeopleOperation,
    ...serviceAccountOperations,
    ...userOperations,
    ...trustedIdpOperations,
    ...auditOperations,
    ...metricsOperations,
    ...mcpAnalyticsOperations,
    ...workflowOperations,
    attachTemplateOperation,
    ...mcpServerOperations(settings.federation?.stdio ?? null),
    mcpServerProbeOperation(federation, settings.federation?.stdio ?? null),
    ...mcpConnectionOperations(settings.federation?.perUser ?? (() => null)),
    ...virtualMcpOperations(federation),
    virtualMcpPeopleOperation,
    ...approvalOperations,
    ...jobOperations,
  ] as const;
  // Declarative config is derived from the operations above (their `declarative` declarations).
  return [...resources, ...configOperations(resources)] as const;
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
  /** How federation reaches token endpoints of `oauth_client_credentials` upstream MCP servers. */
  federation?: {
    tokenEndpoints?: TokenEndpointOptions;
    /** Whether probing and curating may reach every upstream at loopback, private or link-local addresses, as calls may (the `mcpAllowPrivateUpstreams` setting). */
    allowPrivateUpstreams?: boolean;
    /** People's tokens for `oauth_per_user` upstreams (curation reads those as the admin curating); null until the node knows its public URL. */
    perUser?: () => UserTokens | null;
    /** The node's stdio upstream children (absent: stdio servers are refused). */
    stdio?: StdioSupervisor;
  };
}

/** Every management operation, by name; adapters generate their surfaces from `all()`. */
export class Registry {
  readonly #ops = new Map<string, AnyOperation>();
  readonly #streams = new Map<string, StreamOperation>();
  constructor(ops: readonly AnyOperation[], streams: readonly StreamOperation[] = []) {
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
  get(name: string): AnyOperation | undefined {
    return this.#ops.get(name);
  }
  /** The operations the surfaces serve: every one but those a person runs for themselves inside the gateway's own flows (`self`). */
  all(): AnyOperation[] {
    return [...this.#ops.values()].filter((op) => op.permission !== 'self');
  }
}

/** The registry of the operations this build has (plus `extra`, for tests of the executor itself). */
export function createRegistry(settings: RegistrySettings = {}, extra: readonly AnyOperation[] = []): Registry {
  return new Registry([...operations(settings), ...extra], exportStreams);
}
