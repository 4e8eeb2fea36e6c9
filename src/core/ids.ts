import { randomBytes } from 'node:crypto';

/** A new opaque id with a readable type prefix, e.g. `col_4fz…`. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('base64url')}`;
}

export const ID_PREFIX = {
  collections: 'col',
  proxies: 'prx',
  endpoints: 'ep',
  policies: 'pol',
  clients: 'cli',
  profiles: 'prf',
  credentials: 'crd',
  'backend-credentials': 'bcr',
  'mcp-servers': 'mcs',
  'virtual-mcps': 'vmcp',
  'mcp-connections': 'mcn',
  'role-bindings': 'rb',
  'service-accounts': 'sa',
  users: 'usr',
  'trusted-idps': 'tidp',
  audit: 'aud',
} as const;
