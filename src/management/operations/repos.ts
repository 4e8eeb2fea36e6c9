import type { StoredBackendCredential } from './backend-credential-material.js';
import type {
  McpServer,
  VirtualMcp,
  ApiProxy,
  Client,
  Collection,
  Endpoint,
  Policy,
  Profile,
  RoleBinding,
  ServiceAccount,
  TrustedIdp,
  Workflow,
} from '../../core/index.js';
import { ResourceRepository } from '../../store/repositories/resources.js';

/** An upstream MCP server as stored: its settings and header names (the values are sealed apart). */
export type StoredMcpServer = Omit<McpServer, 'id' | 'version' | 'createdAt' | 'updatedAt'>;

/** One repository per config resource type, shared by the operations. */
export const repos = {
  collections: new ResourceRepository<Omit<Collection, 'id' | 'version' | 'createdAt' | 'updatedAt'>>('collections'),
  proxies: new ResourceRepository<Omit<ApiProxy, 'id' | 'version' | 'createdAt' | 'updatedAt'>>('proxies'),
  endpoints: new ResourceRepository<Omit<Endpoint, 'id' | 'version' | 'createdAt' | 'updatedAt'>>('endpoints'),
  policies: new ResourceRepository<Omit<Policy, 'id' | 'version' | 'createdAt' | 'updatedAt'>>('policies'),
  clients: new ResourceRepository<Omit<Client, 'id' | 'version' | 'createdAt' | 'updatedAt'>>('clients'),
  profiles: new ResourceRepository<Omit<Profile, 'id' | 'version' | 'createdAt' | 'updatedAt'>>('profiles'),
  roleBindings: new ResourceRepository<Omit<RoleBinding, 'id' | 'version' | 'createdAt' | 'updatedAt'>>('role-bindings'),
  serviceAccounts: new ResourceRepository<Omit<ServiceAccount, 'id' | 'version' | 'createdAt' | 'updatedAt'>>('service-accounts'),
  backendCredentials: new ResourceRepository<StoredBackendCredential>('backend-credentials'),
  mcpServers: new ResourceRepository<StoredMcpServer>('mcp-servers'),
  virtualMcps: new ResourceRepository<Omit<VirtualMcp, 'id' | 'version' | 'createdAt' | 'updatedAt'>>('virtual-mcps'),
  trustedIdps: new ResourceRepository<Omit<TrustedIdp, 'id' | 'version' | 'createdAt' | 'updatedAt'>>('trusted-idps'),
  workflows: new ResourceRepository<Omit<Workflow, 'id' | 'version' | 'createdAt' | 'updatedAt'>>('workflows'),
  /** Saved versions of workflows, one row each (`wf_…@3`). */
  workflowVersions: new ResourceRepository<object>('workflow-versions'),
};
