import { type GatehouseConfig, GatehouseError, type ResolveVirtual } from '../core/index.js';
import { type SnapshotHolder, TokenCache, TokenEndpoint, virtualServerAccess } from '../gateway/index.js';
import { snapshotVirtualTargets, type UserTokens } from '../gateway/federation/index.js';
import type { VerifiedToken } from '../identity/index.js';

/** Which virtual MCP servers there are and who may use them: read by `/mcp/v/{slug}` and by token exchange alike. */
export interface VirtualAccess {
  resolve: ResolveVirtual;
  /** Whether a principal may use the published virtual server `slug` (a role, and its access list): the pipeline's access step. */
  mayUseServer(who: Pick<VerifiedToken, 'subject' | 'name' | 'kind' | 'groups' | 'clientId'>, slug: string): Promise<boolean>;
}

/** The virtual servers of this node, read from its live config snapshot (so they hold while the store is down). */
export function virtualAccess(config: GatehouseConfig, snapshots: SnapshotHolder, perUser: UserTokens): VirtualAccess {
  const resolve = snapshotVirtualTargets(
    () => snapshots.current().mcp,
    new TokenCache(new TokenEndpoint(config.tokenEndpoints)),
    perUser,
    config.mcpAllowPrivateUpstreams,
  );
  return {
    resolve,
    mayUseServer: async (who, slug) => !((await virtualServerAccess(snapshots.current().mcp, resolve, who, slug)) instanceof GatehouseError),
  };
}
