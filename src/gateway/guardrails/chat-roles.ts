import type { z } from 'zod';
import { ChatRole } from '../../core/index.js';

/**
 * The part of a chat API body a guardrail judges when it is told which roles to read: the messages of
 * the roles it reads, and every text that is no message. The bodies are those of the APIs people put a
 * gateway in front of — OpenAI Chat Completions (`messages`) and Responses (`input`, `instructions`),
 * Anthropic Messages (`messages`, `system`), Gemini (`contents`, `systemInstruction`).
 */

type Role = z.infer<typeof ChatRole>;
const CHAT_ROLES: readonly string[] = ChatRole.options;

const LISTS = ['messages', 'input', 'contents'] as const;
/** Top-level texts that are the system role's. */
const SYSTEM_FIELDS = ['system', 'instructions', 'systemInstruction', 'system_instruction'] as const;
const ALIASES: Readonly<Record<string, Role>> = { model: 'assistant', function: 'tool', ipython: 'tool' };

/** A body as judged, and how a redaction of that view is put back into the whole body. */
export interface RoleView {
  judged: Record<string, unknown>;
  restore(redacted: unknown): unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Whether a message is left unread: it names a role, and not one read. An item without a role (a tool's output) is read. */
function unread(message: unknown, roles: ReadonlySet<Role>): boolean {
  if (!isObject(message) || typeof message.role !== 'string') return false;
  const role = ALIASES[message.role] ?? message.role;
  return CHAT_ROLES.includes(role) && !roles.has(role as Role);
}

/**
 * The body with the messages of roles not read set to null (and the top-level system texts left out
 * when `system` is not read); null when the body is no chat API body, or every role it has is read.
 */
export function judgedRoles(json: unknown, roles: ReadonlySet<Role>): RoleView | null {
  if (!isObject(json)) return null;
  const judged: Record<string, unknown> = { ...json };
  const skipped = new Map<string, Map<number, unknown>>();
  const dropped = new Map<string, unknown>();
  for (const list of LISTS) {
    const messages = json[list];
    if (!Array.isArray(messages)) continue;
    const left = new Map<number, unknown>();
    messages.forEach((m, i) => {
      if (unread(m, roles)) left.set(i, m);
    });
    if (left.size === 0) continue;
    skipped.set(list, left);
    judged[list] = messages.map((m, i) => (left.has(i) ? null : m));
  }
  if (!roles.has('system')) {
    for (const field of SYSTEM_FIELDS) {
      if (!(field in json)) continue;
      dropped.set(field, json[field]);
      delete judged[field];
    }
  }
  if (skipped.size === 0 && dropped.size === 0) return null;
  return {
    judged,
    restore(redacted) {
      if (!isObject(redacted)) return redacted;
      const out: Record<string, unknown> = { ...redacted };
      for (const [list, left] of skipped) {
        const now = out[list];
        if (Array.isArray(now)) out[list] = now.map((m, i) => (left.has(i) ? left.get(i) : m));
      }
      for (const [field, value] of dropped) out[field] = value;
      return out;
    },
  };
}
