import { type GatehouseConfig, mayAccess, type Principal, type ResolveVirtual } from '../core/index.js';
import { TokenCache, TokenEndpoint } from '../gateway/index.js';
import type { UserTokens } from '../gateway/federation/index.js';
import type { VerifiedToken } from '../identity/index.js';
import { virtualMcpResolver } from '../management/operations/federation-targets.js';

import { ChangeCache } from '../store/change-cache.js';
import type { ManagementPlane } from './plane.js';

/** Who may use which virtual MCP server: read by `/mcp/v/{slug}` and by token exchange alike. */
export interface VirtualAccess {
  resolve: ResolveVirtual;
  /** Whether a principal may use virtual servers at all (today: holds a role on this gateway). */
  mayUse(who: Pick<VerifiedToken, 'subject' | 'name' | 'kind' | 'groups' | 'clientId'>): Promise<boolean>;
  /** Whether a principal may use the published virtual server `slug` (a role, and its access list). */
  mayUseServer(who: Pick<VerifiedToken, 'subject' | 'name' | 'kind' | 'groups' | 'clientId'>, slug: string): Promise<boolean>;
  close(): void;
}

/** The virtual servers and role checks of this node, kept until the next config change. */
export function virtualAccess(config: GatehouseConfig, plane: ManagementPlane, perUser: UserTokens): VirtualAccess {
  const resolve = virtualMcpResolver(plane.database.db, plane.secrets, plane.changes, new TokenCache(new TokenEndpoint(config.tokenEndpoints)), perUser);
  // Role bindings are config: whether a principal holds one is kept until the next change.
  const holdsRole = new ChangeCache<boolean>(plane.changes, async (key) => {
    const principal = JSON.parse(key) as Principal;
    const grants = await plane.executor.grantsFor({ principal, channel: 'mcp', requestId: 'virtual-mcp' });
    return (grants.for(principal)?.length ?? 0) > 0;
  });
  const mayUse: VirtualAccess['mayUse'] = (who) =>
    holdsRole.get(
      JSON.stringify({ subject: who.subject, name: who.name, kind: who.kind, groups: who.groups, ...(who.clientId ? { clientId: who.clientId } : {}) }),
    );
  return {
    resolve,
    mayUse,
    async mayUseServer(who, slug) {
      const target = await resolve(slug);
      if (!target?.published || !(await mayUse(who))) return false;
      return mayAccess(target.access, who);
    },
    close() {
      resolve.close();
      holdsRole.close();
    },
  };
}
