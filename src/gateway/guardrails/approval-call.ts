import { GatehouseError } from '../../core/index.js';
import { redact } from '../../core/redact.js';
import { type ExactJson, isExact } from './approval-json.js';

/** The most an approval stores of a held call: a larger call is refused, never approved partly seen. */
const CALL_STORE_BYTES = 1_048_576;

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The body as sent, as text: itself when it is UTF-8, else said so and shown as base64 (never with bytes replaced by U+FFFD). */
function asSent(raw: Buffer | null): string {
  if (raw === null) return '';
  try {
    return UTF8.decode(raw);
  } catch {
    return `(${raw.length} bytes that are not UTF-8 text, as base64)\n${raw.toString('base64')}`;
  }
}

/**
 * The body or MCP arguments as the approver reads them: JSON its parsed value stands for exactly
 * (see isExact) indented, secret-looking fields redacted as audit entries are; JSON with a repeated
 * key or a number JavaScript writes otherwise, and any other body, as sent, so the approver sees
 * every key, number and byte the upstream reads.
 * GATEHOUSE_APPROVAL_TOO_LARGE when the call or its text passes CALL_STORE_BYTES: an approver must
 * be able to see all of what they approve.
 */
export function approverText(raw: Buffer | null, json: ExactJson | undefined, node: string): { text: string; bytes: number } {
  const sent = raw?.length ?? 0;
  const text = json !== undefined && isExact(json) ? (JSON.stringify(redact(json.value), null, 2) ?? 'null') : asSent(raw);
  const bytes = Buffer.byteLength(text);
  if (sent > CALL_STORE_BYTES || bytes > CALL_STORE_BYTES) {
    throw new GatehouseError(
      'GATEHOUSE_APPROVAL_TOO_LARGE',
      `Workflow node ${node} holds this call for approval, but its body (${Math.max(sent, bytes)} bytes) is larger than the ${CALL_STORE_BYTES} bytes an approval stores; an approver cannot see all of it, so it cannot be approved. Send a smaller call.`,
      { node, bodyBytes: sent, limitBytes: CALL_STORE_BYTES },
    );
  }
  return { text, bytes };
}
