import { z } from 'zod';
import { AuditQuery, RequestLogQuery } from '../../core/index.js';
import { auditExport } from '../../telemetry/exports/audit.js';
import { CONTENT_TYPES } from '../../telemetry/exports/format.js';
import { requestLogExport } from '../../telemetry/exports/request-logs.js';
import { defineStream, type StreamOperation } from '../operation.js';

const Format = z.enum(['ndjson', 'csv']).default('ndjson').describe('ndjson: one JSON object per line; csv: a header row, then one row per entry');

/** Log exports: the same filters as the searches, every matching entry, streamed. */
export const exportStreams: StreamOperation[] = [
  defineStream({
    name: 'request-logs.export',
    resource: 'request-logs',
    action: 'export',
    summary: 'Export every request log matching the filters, streamed as NDJSON or CSV (oldest batch first)',
    permission: 'read',
    input: RequestLogQuery.omit({ limit: true, cursor: true }).extend({ format: Format }),
    http: { method: 'GET', path: '/request-logs/export' },
    open: (db, { format, ...filter }) => ({
      contentType: CONTENT_TYPES[format],
      filename: `request-logs.${format}`,
      chunks: requestLogExport(db, filter, format),
    }),
  }),
  defineStream({
    name: 'audit-logs.export',
    resource: 'audit-logs',
    action: 'export',
    summary: 'Export every audit entry matching the filters, streamed as NDJSON or CSV (oldest first)',
    permission: 'read',
    input: AuditQuery.omit({ limit: true, cursor: true }).extend({ format: Format }),
    http: { method: 'GET', path: '/audit-logs/export' },
    open: (db, { format, ...filter }) => ({
      contentType: CONTENT_TYPES[format],
      filename: `audit-logs.${format}`,
      chunks: auditExport(db, filter, format),
    }),
  }),
];
