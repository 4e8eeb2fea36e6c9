import type { z } from 'zod';
import { GatehouseError, type RequireClaimsNode } from '../../../core/index.js';
import type { NodeCompiler } from '../step.js';

/** A claim by dotted path (`realm_access.roles`). */
export function claimAt(claims: Record<string, unknown>, path: string): unknown {
  let v: unknown = claims;
  for (const key of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

function scopesOf(claims: Record<string, unknown>): Set<string> {
  const out = new Set<string>();
  if (typeof claims.scope === 'string') for (const s of claims.scope.split(' ')) if (s) out.add(s);
  if (Array.isArray(claims.scp)) for (const s of claims.scp) if (typeof s === 'string') out.add(s);
  if (typeof claims.scp === 'string') for (const s of claims.scp.split(' ')) if (s) out.add(s);
  return out;
}

function holds(value: unknown, wanted: string): boolean {
  return Array.isArray(value) ? value.some((v) => String(v) === wanted) : value !== undefined && value !== null && String(value) === wanted;
}

/** Refuses callers whose verified JWT lacks the required scopes, claim values or roles, naming what is missing. */
export const compileRequireClaims: NodeCompiler<z.output<typeof RequireClaimsNode>> = (node) => {
  const claimEntries = Object.entries(node.claims);
  return (x) => {
    const claims = x.ctx.claims;
    if (claims === null)
      throw new GatehouseError('GATEHOUSE_CLAIMS_REQUIRED', 'This API needs a JWT or OIDC credential carrying claims.', { node: node.id, missing: ['a JWT'] });
    const missing: string[] = [];
    if (node.scopes.length > 0) {
      const granted = scopesOf(claims);
      for (const s of node.scopes) if (!granted.has(s)) missing.push(`scope ${s}`);
    }
    for (const [name, value] of claimEntries) if (!holds(claimAt(claims, name), value)) missing.push(`claim ${name}=${value}`);
    if (node.anyRole.length > 0) {
      const roles = claimAt(claims, node.rolesClaim);
      if (!node.anyRole.some((r) => holds(roles, r))) missing.push(`one of the roles ${node.anyRole.join(', ')}`);
    }
    if (missing.length > 0) throw new GatehouseError('GATEHOUSE_CLAIMS_REQUIRED', `The credential lacks ${missing.join('; ')}.`, { node: node.id, missing });
    x.note(`${node.id}:granted`);
  };
};
