import { CLIENT_CAPABILITIES_META_KEY, type CallToolResult, inputRequired, UrlElicitationRequiredError } from '@modelcontextprotocol/server';
import { isPlain } from './protocol.js';

/**
 * Whether a request's client declares URL-mode elicitation in its per-request capabilities
 * (2026-07-28). A stateless endpoint keeps nothing of what a 2025-era client declared at `initialize`:
 * such a client gets the link (connect, approval) in the tool error instead.
 */
export function declaresUrlElicitation(message: unknown): boolean {
  if (!isPlain(message) || !isPlain(message.params) || !isPlain(message.params._meta)) return false;
  const capabilities = message.params._meta[CLIENT_CAPABILITIES_META_KEY];
  return isPlain(capabilities) && isPlain(capabilities.elicitation) && isPlain(capabilities.elicitation.url);
}

/**
 * A call a tool policy holds for approval, as the URL elicitation of MCP 2025-11-25 (error -32042):
 * the client shows the approval link to its user, and retries once an approver has decided. The
 * approval's id is the elicitation's, so a client can tell two held calls apart. Null for any other failure.
 */
export function heldCallElicitation(code: string, message: string, details: unknown): UrlElicitationRequiredError | null {
  if (code !== 'GATEHOUSE_APPROVAL_REQUIRED' || !isPlain(details)) return null;
  const { approvalId, url } = details;
  if (typeof approvalId !== 'string' || typeof url !== 'string') return null;
  return new UrlElicitationRequiredError([{ mode: 'url', elicitationId: approvalId, url, message }], message);
}

/**
 * A tool result as a caller that declared URL-mode elicitation gets it: a held call answered as its
 * revision asks (see heldAnswer), anything else as it is.
 */
export function answerIfHeld(era: 'legacy' | 'modern', declared: boolean, result: CallToolResult, inputResponses?: Record<string, unknown>): CallToolResult {
  if (!declared || result.isError !== true) return result;
  const error = isPlain(result.structuredContent) ? result.structuredContent.error : undefined;
  if (!isPlain(error) || typeof error.code !== 'string') return result;
  const failure = { code: error.code, message: typeof error.message === 'string' ? error.message : error.code, details: error.details };
  return heldAnswer(era, declared, failure, inputResponses) ?? result;
}

/**
 * How a caller hears that a call is held for approval, by its revision and what it declared: a
 * 2026-07-28 caller that declares URL elicitation gets `input_required` asking it to open the
 * approval link (keyed by the approval's id; its client shows the link, then retries the call —
 * the -32042 error does not exist on that revision); a 2025-era one the URL elicitation error
 * (-32042, thrown). Null for every other caller, and for a 2026-07-28 retry whose user declined or
 * cancelled the link: they get the tool error, which carries the link and the approval's id.
 */
export function heldAnswer(
  era: 'legacy' | 'modern',
  urlElicitation: boolean,
  failure: { code: string; message: string; details?: unknown },
  inputResponses?: Record<string, unknown>,
): CallToolResult | null {
  if (!urlElicitation) return null;
  const held = heldCallElicitation(failure.code, failure.message, failure.details);
  if (held === null) return null;
  if (era === 'legacy') throw held;
  const { elicitationId: approvalId, url } = held.elicitations[0] as { elicitationId: string; url: string };
  const answered = inputResponses?.[approvalId];
  if (isPlain(answered) && (answered.action === 'decline' || answered.action === 'cancel')) return null;
  const result = inputRequired({ inputRequests: { [approvalId]: inputRequired.elicitUrl({ message: failure.message, url }) } });
  return result as unknown as CallToolResult;
}

/** Whether a tool result is a 2026-07-28 `input_required` (see heldAnswer), which is written as it is, not as a complete result. */
export function isInputRequired(result: CallToolResult): boolean {
  return (result as { resultType?: unknown }).resultType === 'input_required';
}
