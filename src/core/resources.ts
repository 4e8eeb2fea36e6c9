import { z } from 'zod';

/** Every resource type the management plane governs; role scopes name these. */
export const RESOURCE_TYPES = [
  'collections',
  'proxies',
  'endpoints',
  'policies',
  'clients',
  'profiles',
  'credentials',
  'mcp-grants',
  'backend-credentials',
  'role-bindings',
  'service-accounts',
  'users',
  'trusted-idps',
  'audit-logs',
  'request-logs',
  'metrics',
  'mcp-analytics',
  'workflows',
  'mcp-servers',
  'virtual-mcps',
  'mcp-connections',
  'approvals',
  'config',
  'jobs',
] as const;
export const ResourceType = z.enum(RESOURCE_TYPES);
export type ResourceType = z.infer<typeof ResourceType>;

/** Types only `admin` may change: who can do what. */
export const ACCESS_RESOURCE_TYPES: readonly ResourceType[] = ['role-bindings', 'service-accounts', 'users', 'trusted-idps'];

/**
 * Types whose reads, though never showing secrets, describe how the gateway reaches its upstreams
 * (and which people hold accounts there, and what held calls carry): a role scoped to other resource
 * types does not read them.
 */
export const SCOPED_READ_TYPES: readonly ResourceType[] = ['backend-credentials', 'mcp-servers', 'mcp-connections', 'approvals'];
