/** The instrumentation scopes the gateway's spans and log records are exported under. */
export const SPAN_SCOPE = 'gatehouse';
export const REQUEST_LOG_SCOPE = 'gatehouse.request-log';
export const AUDIT_SCOPE = 'gatehouse.audit';
