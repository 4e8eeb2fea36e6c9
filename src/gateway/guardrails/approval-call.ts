import { GatehouseError } from '../../core/index.js';
import { redact } from '../../core/redact.js';

/** The most an approval stores of a held call: a larger call is refused, never approved partly seen. */
const CALL_STORE_BYTES = 1_048_576;

/**
 * The body or MCP arguments as the approver reads them: JSON indented (secret-looking fields
 * redacted, as audit entries are), any other body as its text. GATEHOUSE_APPROVAL_TOO_LARGE when
 * the call or its text passes CALL_STORE_BYTES: an approver must be able to see all of what they approve.
 */
export function approverText(raw: Buffer | null, json: unknown, node: string): { text: string; bytes: number } {
  const sent = raw?.length ?? 0;
  const text = json !== undefined ? (JSON.stringify(redact(json), null, 2) ?? 'null') : (raw?.toString('utf8') ?? '');
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
