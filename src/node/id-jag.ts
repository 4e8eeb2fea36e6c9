import type { Registry } from 'prom-client';
import { GatehouseError, type TrustedIdp } from '../core/index.js';
import { keepIdentity } from '../identity/id-jag-identities.js';
import type { IdJagOptions } from '../identity/jwt-bearer-grant.js';
import { ResourceRepository } from '../store/repositories/resources.js';
import { registerIdJagMetrics } from '../telemetry/id-jag-metrics.js';
import type { ManagementPlane } from './plane.js';

const trustedIdps = new ResourceRepository<TrustedIdp>('trusted-idps');
const roleBindings = new ResourceRepository<{ subject?: string; group?: string }>('role-bindings');

/**
 * The built-in authorization server's side of MCP Enterprise-Managed Authorization on this node:
 * trusted IdPs read fresh from the store (a change holds at the next token on every node), people
 * admitted through the executor (audited, users created just in time there), refusals audited as
 * failed sign-ins and counted in `gatehouse_id_jag_grants_total`.
 */
export function idJagOptions(plane: ManagementPlane, metrics: Registry | undefined, log: (msg: string, err: unknown) => void): IdJagOptions {
  const db = plane.database.db;
  const count = metrics ? registerIdJagMetrics(metrics) : () => {};
  return {
    allowHttp: true,
    // Kept to chain from to upstreams trusting the same IdP; losing one only means a connect link instead.
    keep: ({ userId, idpId, assertion, expiresAt }) =>
      keepIdentity(db, plane.secrets, userId, { idpId, assertion }, expiresAt).catch((e: unknown) => log('keeping an enterprise identity assertion failed', e)),
    issuers: () => trustedIdps.all(db),
    holdsRole: async (userId, groups) => (await roleBindings.all(db)).some((b) => b.subject === userId || (b.group !== undefined && groups.includes(b.group))),
    admit: async (signIn) => {
      const idp = await trustedIdps.get(db, signIn.idpId);
      // The person as the IdP names them; the entry's resource is the local user matched or created.
      const principal = {
        subject: `${idp?.issuer ?? signIn.idpId}#${signIn.subject}`,
        name: signIn.username,
        kind: 'user' as const,
        groups: [],
        clientId: signIn.appClientId,
      };
      const { ip, requestId, ...input } = signIn;
      return plane.executor.execute('trusted-idps.sign-in', input, {
        principal,
        channel: 'mcp',
        clientApp: signIn.appClientId,
        ip,
        requestId: requestId || 'id-jag',
      });
    },
    onOutcome: (outcome) => {
      count(outcome.ok ? { outcome: 'issued', reason: 'none' } : { outcome: 'refused', reason: outcome.reason });
      // Admission refusals were audited by the executor itself; every other refusal is audited here, as the client's failed sign-in.
      if (outcome.ok || outcome.reason === 'no_user') return;
      const principal = { subject: outcome.clientId, name: outcome.clientId, kind: 'service' as const, groups: [], clientId: outcome.clientId };
      const err = new GatehouseError('GATEHOUSE_INVALID_TOKEN', `The enterprise identity assertion was refused: ${outcome.description}.`);
      plane.executor
        .auditRefused(
          'trusted-idps.sign-in',
          { id: outcome.idpId ?? undefined, reason: outcome.reason },
          { principal, channel: 'mcp', clientApp: outcome.clientId, ip: outcome.ip, requestId: outcome.requestId || 'id-jag' },
          err,
        )
        .catch((e: unknown) => log('auditing a refused enterprise identity assertion failed', e));
    },
  };
}
