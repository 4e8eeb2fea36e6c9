import type { Kysely } from 'kysely';
import { z } from 'zod';
import { Id, Role } from '../../core/index.js';
import { allSignInGroups } from '../../store/repositories/sign-in-groups.js';
import type { DB } from '../../store/schema.js';
import { defineOperation } from '../operation.js';
import { mustGet } from './crud.js';
import { repos } from './repos.js';

/** Why a person holds something: named directly (an access-list entry, a role binding on them), or a group they carried at their last sign-in through a trusted IdP. */
const Via = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('entry') }),
  /** The server has no access list: everyone with a role on the gateway may use it. */
  z.object({ kind: z.literal('open') }),
  z.object({ kind: z.literal('group'), group: z.string(), idpId: z.string(), idpName: z.string(), signedInAt: z.string() }),
]);
type Via = z.infer<typeof Via>;

/** A person and the groups (with the IdP and sign-in time) they carried when last signing in. */
interface Person {
  userId: string;
  username: string;
  groups: Extract<Via, { kind: 'group' }>[];
}

/** The groups some role binding or virtual-server access list names: only those are worth recording at a sign-in. */
export async function mappedGroups(db: Kysely<DB>): Promise<Set<string>> {
  const [bindings, servers] = await Promise.all([repos.roleBindings.all(db), repos.virtualMcps.all(db)]);
  return new Set([...bindings.flatMap((b) => (b.group !== undefined ? [b.group] : [])), ...servers.flatMap((s) => s.access?.groups ?? [])]);
}

/** Every user, each with the groups recorded at their last sign-in through each trusted IdP. */
async function people(db: Kysely<DB>): Promise<Person[]> {
  const [users, recorded, idps] = await Promise.all([
    db.selectFrom('users').select(['id', 'username']).where('disabled', '=', 0).orderBy('username').execute(),
    allSignInGroups(db),
    repos.trustedIdps.all(db),
  ]);
  const idpName = new Map(idps.map((i) => [i.id, i.name]));
  return users.map((u) => ({
    userId: u.id,
    username: u.username,
    groups: recorded
      .filter((r) => r.userId === u.id)
      .flatMap((r) =>
        r.groups.map((group) => ({ kind: 'group' as const, group, idpId: r.idpId, idpName: idpName.get(r.idpId) ?? r.idpId, signedInAt: r.signedInAt })),
      ),
  }));
}

/** The roles a person holds and why: bindings on them, or on a group they carried. */
function rolesOf(p: Person, bindings: readonly { subject?: string | undefined; group?: string | undefined; role: Role }[]): { role: Role; via: Via }[] {
  return bindings.flatMap((b): { role: Role; via: Via }[] => {
    if (b.subject !== undefined) return b.subject === p.userId ? [{ role: b.role, via: { kind: 'entry' as const } }] : [];
    return p.groups.filter((g) => g.group === b.group).map((via) => ({ role: b.role, via }));
  });
}

const RoleHolder = z.object({ role: Role, via: Via });

const ServerPeople = z.object({
  /** Whether the server has an access list; without one, everyone with a role may use it. */
  restricted: z.boolean(),
  people: z.array(z.object({ userId: z.string(), username: z.string(), access: z.array(Via), roles: z.array(RoleHolder) })),
});

const RolePeople = z.object({
  people: z.array(z.object({ userId: z.string(), username: z.string(), roles: z.array(RoleHolder) })),
});

/** Who may use a virtual server, and why. */
export const virtualMcpPeopleOperation = defineOperation({
  name: 'virtual-mcps.people',
  resource: 'virtual-mcps',
  action: 'people',
  summary:
    'List the people who may use a virtual MCP server and why: an access-list entry, or a group they carried at their last sign-in through a trusted IdP (which IdP, when); and the role that lets them use virtual servers at all',
  permission: 'read',
  input: z.strictObject({ id: Id }),
  output: ServerPeople,
  http: { method: 'GET', path: '/virtual-mcps/{id}/people' },
  handler: async (ctx, input) => {
    const server = await mustGet(repos.virtualMcps, ctx, input.id, 'virtual MCP server');
    const bindings = await repos.roleBindings.all(ctx.db);
    const access = server.access;
    const out = (await people(ctx.db)).flatMap((p) => {
      const roles = rolesOf(p, bindings);
      const via: Via[] =
        access === undefined
          ? [{ kind: 'open' }]
          : [
              ...(access.users.includes(p.userId) || access.users.includes(p.username) ? [{ kind: 'entry' as const }] : []),
              ...p.groups.filter((g) => access.groups.includes(g.group)),
            ];
      // Both are needed, as the access step asks (mcp-admit.ts): a role on the gateway, then the list.
      return roles.length > 0 && via.length > 0 ? [{ userId: p.userId, username: p.username, access: via, roles }] : [];
    });
    return { restricted: access !== undefined, people: out };
  },
});

/** Who holds a management role, and why. */
export const rolePeopleOperation = defineOperation({
  name: 'role-bindings.people',
  resource: 'role-bindings',
  action: 'people',
  summary: 'List the people holding a management role and why: a role binding on them, or on a group they carried at their last sign-in through a trusted IdP',
  permission: 'read',
  input: z.strictObject({}),
  output: RolePeople,
  http: { method: 'GET', path: '/role-people' },
  handler: async (ctx) => {
    const bindings = await repos.roleBindings.all(ctx.db);
    const out = (await people(ctx.db)).flatMap((p) => {
      const roles = rolesOf(p, bindings);
      return roles.length > 0 ? [{ userId: p.userId, username: p.username, roles }] : [];
    });
    return { people: out };
  },
});
