import { z } from 'zod';
import { NodeBase } from '../common.js';
import { GuardrailAction } from './detect-pii.js';

/** A team's own injection classifier, called over HTTP with the text; its score joins the gateway's own. */
export const PromptClassifier = z.strictObject({
  /** Receives `POST {"text": "…", "phase": "request"|"response"}` and answers `{"score": 0…1}`. */
  url: z.url({ protocol: /^https?$/ }),
  timeoutMs: z.number().int().min(10).max(10_000).default(1_000),
  /** When the classifier fails or is late: `closed` refuses the call (503), `open` goes on with the gateway's own score. */
  failMode: z.enum(['open', 'closed']).default('closed'),
  /** Let the classifier be on a loopback or private address (an in-cluster model); off, those are refused (SSRF guard). */
  allowPrivateNetwork: z.boolean().default(false),
});

/** A chat message's role, as prompt_guard's `chatRoles` names it (Gemini's `model` is `assistant`). */
export const ChatRole = z.enum(['system', 'developer', 'user', 'assistant', 'tool']);

/**
 * Scores the body for injected instructions (instruction overrides, role hijacks, hidden Unicode,
 * markdown exfiltration links, requests to call tools or reveal secrets) and refuses, flags or
 * redacts (each text that scores over the threshold becomes `[PROMPT_INJECTION]`).
 */
export const PromptGuardNode = z.strictObject({
  type: z.literal('prompt_guard'),
  ...NodeBase,
  threshold: z.number().min(0.05).max(1).default(0.5),
  action: GuardrailAction.default('block'),
  /** Hosts markdown images and links may point to (`docs.example.com`, `*.example.com`). */
  allowHosts: z
    .array(
      z
        .string()
        .min(1)
        .max(253)
        .regex(/^(\*\.)?[a-z0-9.-]+$/i, 'a host name, optionally *.domain'),
    )
    .max(100)
    .default([]),
  classifier: PromptClassifier.optional(),
  /**
   * In a chat API body (OpenAI, Anthropic, Gemini), the roles whose messages are judged; absent, every text of the body.
   * A client's own system prompt (`You are a helpful assistant.`) reads as a role set for the model: leave `system` and
   * `developer` out where the client writes its own. Items with no role (tool outputs) are always judged.
   */
  chatRoles: z.array(ChatRole).min(1).max(5).optional(),
  /** The largest body scanned (bounded work per call); a larger one is refused (413 on the request, 502 on the response). */
  maxBytes: z.number().int().min(1_024).max(4_194_304).default(1_048_576),
});
