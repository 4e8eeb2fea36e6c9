import { z } from 'zod';
import { NodeBase } from '../common.js';
import { unsafePatternProblem } from '../safe-pattern.js';

/** The PII and secret families detect_pii looks for. */
export const PiiType = z.enum(['email', 'phone', 'card', 'iban', 'ip', 'national_id', 'secret']);

/** What a guardrail does with a call where it finds something: rewrite it, refuse it, or only record it. */
export const GuardrailAction = z.enum(['redact', 'block', 'flag']);

/** A national id by name and pattern (a safe regular-expression subset: see the README). */
export const NationalIdPattern = z.strictObject({
  /** Names the match in the log and its redaction label (`ssn` → `[SSN]`). */
  name: z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, 'lowercase letters, digits and _'),
  pattern: z
    .string()
    .min(1)
    .max(200)
    .superRefine((p, ctx) => {
      const problem = unsafePatternProblem(p);
      if (problem !== null) ctx.addIssue({ code: 'custom', message: `not a safe pattern: ${problem}` });
    }),
});

/**
 * Finds PII and secrets in the request or response body (JSON walked by value, other text as
 * text) and redacts them with a label of their type (`[EMAIL]`), refuses the call, or flags it.
 */
export const DetectPiiNode = z
  .strictObject({
    type: z.literal('detect_pii'),
    ...NodeBase,
    types: z.array(PiiType).min(1).max(7).default(['email', 'phone', 'card', 'iban', 'secret']),
    action: GuardrailAction.default('redact'),
    /** The country (ISO 3166 alpha-2) national phone numbers are read for; without it, only numbers written nationally (a trunk `0` with separators, North American groups) are tried for the likeliest countries. */
    defaultCountry: z
      .string()
      .regex(/^[A-Z]{2}$/, 'an ISO 3166 alpha-2 country code')
      .optional(),
    nationalIds: z.array(NationalIdPattern).max(20).default([]),
    /** Bits of entropy per character an `api_key=…` value needs to count as a secret. */
    minEntropy: z.number().min(2).max(6).default(3.5),
    /** The largest body scanned (bounded work per call); a larger one is refused (413 on the request, 502 on the response). */
    maxBytes: z.number().int().min(1_024).max(4_194_304).default(1_048_576),
  })
  .refine((n) => !n.types.includes('national_id') || n.nationalIds.length > 0, {
    message: 'national_id needs at least one pattern in nationalIds',
    path: ['nationalIds'],
  });
