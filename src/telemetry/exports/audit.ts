import type { Kysely } from 'kysely';
import type { AuditEntry } from '../../core/index.js';
import { type AuditFilter, auditEntries } from '../../store/repositories/audit.js';
import type { DB } from '../../store/schema.js';
import { type ExportFormat, formatRows } from './format.js';

const COLUMNS = [
  'seq',
  'id',
  'time',
  'actorSubject',
  'actorName',
  'actorKind',
  'channel',
  'clientApp',
  'ip',
  'action',
  'resourceType',
  'resourceId',
  'outcome',
  'status',
  'errorCode',
  'requestId',
  'diff',
  'prevHash',
  'hash',
] as const;

function values(e: AuditEntry): unknown[] {
  return [
    e.seq,
    e.id,
    e.time,
    e.actor.subject,
    e.actor.name,
    e.actor.kind,
    e.channel,
    e.clientApp,
    e.ip,
    e.action,
    e.resourceType,
    e.resourceId,
    e.outcome,
    e.status,
    e.errorCode,
    e.requestId,
    e.diff,
    e.prevHash,
    e.hash,
  ];
}

/** Audit entries, oldest first, as NDJSON (entries as the API shows them) or CSV (the actor in three columns, the diff as JSON). */
export function auditExport(db: Kysely<DB>, q: AuditFilter, format: ExportFormat): AsyncGenerator<string> {
  return formatRows(auditEntries(db, q), format, COLUMNS, values);
}
