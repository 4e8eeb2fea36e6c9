const SECRET_KEY = /secret|password|token|private|credential_?value|apikey|api_key/i;

/**
 * A deep copy with secret-looking fields replaced, for audit diffs and the calls approvers read. A
 * boolean holds no secret, so a setting named like one (`allowPrivateNetwork`, `hasOAuthClientSecret`) stays readable.
 */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) && v != null && typeof v !== 'boolean' ? '[REDACTED]' : redact(v)]));
}
