import type { VirtualMcpAccess } from '../../core/index.js';
import type { VerifiedToken } from '../../identity/index.js';

/**
 * Whether a signed-in principal is on a virtual server's access list: a user by id or username, a
 * service account by id, name or client id, anyone by a group they are in. No list: everyone who
 * may use virtual servers at all.
 */
export function mayAccess(access: VirtualMcpAccess | undefined, who: VerifiedToken): boolean {
  if (access === undefined) return true;
  if (who.groups.some((g) => access.groups.includes(g))) return true;
  if (who.kind === 'user') return access.users.includes(who.subject) || access.users.includes(who.name);
  return [who.subject, who.name, who.clientId].some((id) => id !== undefined && access.serviceAccounts.includes(id));
}
