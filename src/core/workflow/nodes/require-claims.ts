import { z } from 'zod';
import { NodeBase } from '../common.js';

/** Refuses (403, naming what is missing) a caller whose JWT lacks required scopes, claim values or roles. */
export const RequireClaimsNode = z
  .strictObject({
    type: z.literal('require_claims'),
    ...NodeBase,
    /** Every one of these scopes, from the `scope` (space-separated) or `scp` claim. */
    scopes: z.array(z.string().min(1).max(200)).max(50).default([]),
    /** Claim → required value; an array claim must contain the value. */
    claims: z.record(z.string().min(1).max(200), z.string().max(500)).default({}),
    /** At least one of these roles, read from `rolesClaim` (a dotted path, e.g. `realm_access.roles`). */
    anyRole: z.array(z.string().min(1).max(200)).max(50).default([]),
    rolesClaim: z.string().min(1).max(200).default('roles'),
  })
  .refine((n) => n.scopes.length + Object.keys(n.claims).length + n.anyRole.length > 0, {
    message: 'require at least one scope, claim or role',
    path: ['scopes'],
  });
