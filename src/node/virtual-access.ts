import { type GatehouseConfig, mayAccess, type ResolveVirtual } from '../core/index.js';
import { type SnapshotHolder, TokenCache, TokenEndpoint } from '../gateway/index.js';
import { snapshotVirtualTargets, type UserTokens } from '../gateway/federation/index.js';
import type { VerifiedToken } from '../identity/index.js';

/** Who may use which virtual MCP server: read by `/mcp/v/{slug}` and by token exchange alike. */
export interface VirtualAccess {
  resolve: ResolveVirtual;
  /** Whether a principal may use virtual servers at all (today: holds a role on this gateway). */
  mayUse(who: Pick<VerifiedToken, 'subject' | 'name' | 'kind' | 'groups' | 'clientId'>): Promise<boolean>;
  /** Whether a principal may use the published virtual server `slug` (a role, and its access list). */
  mayUseServer(who: Pick<VerifiedToken, 'subject' | 'name' | 'kind' | 'groups' | 'clientId'>, slug: string): Promise<boolean>;
}

/** The virtual servers and role checks of this node, read from its live config snapshot (so they hold while the store is down). */
export function virtualAccess(config: GatehouseConfig, snapshots: SnapshotHolder, perUser: UserTokens): VirtualAccess {
  const resolve = snapshotVirtualTargets(() => snapshots.current().mcp, new TokenCache(new TokenEndpoint(config.tokenEndpoints)), perUser);
  const mayUse: VirtualAccess['mayUse'] = async (who) => {
    const { subjects, groups } = snapshots.current().mcp.roleHolders;
    return subjects.has(who.subject) || who.groups.some((g) => groups.has(g));
  };
  return {
    resolve,
    mayUse,
    async mayUseServer(who, slug) {
      const target = await resolve(slug);
      if (!target?.published || !(await mayUse(who))) return false;
      return mayAccess(target.access, who);
    },
  };
}
