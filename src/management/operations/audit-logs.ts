import { z } from 'zod';
import { AuditChainVerdict, AuditEntry, AuditQuery, GatehouseError, Id } from '../../core/index.js';
import { getAudit, queryAudit, verifyAuditChain } from '../../store/repositories/audit.js';
import { defineOperation } from '../operation.js';
import { listOf } from './crud.js';

export const auditOperations = [
  defineOperation({
    name: 'audit-logs.list',
    resource: 'audit-logs',
    action: 'list',
    summary: 'Search the audit trail, newest first',
    permission: 'read',
    input: AuditQuery,
    output: listOf(AuditEntry),
    http: { method: 'GET', path: '/audit-logs' },
    handler: (ctx, input) => queryAudit(ctx.db, input),
  }),
  defineOperation({
    name: 'audit-logs.verify',
    resource: 'audit-logs',
    action: 'verify',
    summary: 'Recompute the audit hash chain from the first entry; names the first entry that breaks it',
    permission: 'read',
    input: z.strictObject({}),
    output: AuditChainVerdict,
    http: { method: 'GET', path: '/audit-logs/verify' },
    handler: (ctx) => verifyAuditChain(ctx.db),
  }),
  defineOperation({
    name: 'audit-logs.get',
    resource: 'audit-logs',
    action: 'get',
    summary: 'Get one audit entry',
    permission: 'read',
    input: z.strictObject({ id: Id }),
    output: AuditEntry,
    http: { method: 'GET', path: '/audit-logs/{id}' },
    handler: async (ctx, input) => {
      const entry = await getAudit(ctx.db, input.id);
      if (!entry) throw new GatehouseError('GATEHOUSE_NOT_FOUND', `No audit entry with id ${input.id}.`);
      return entry;
    },
  }),
] as const;
