import type { CountryCode } from 'libphonenumber-js/max';
import { findCards } from './cards.js';
import { findEmails, findObfuscatedEmails, holdsAtMark } from './email.js';
import { findIbans } from './iban.js';
import { findIpv4, findIpv6 } from './ip.js';
import { type Detector, type Match, newScanBudget, resolveOverlaps, type ScanBudget } from './match.js';
import { type NationalIdPattern, nationalIdDetector } from './national-id.js';
import { phoneDetector } from './phone.js';
import { holdsWrappedText } from './wrapped-text.js';
import { holdsKeyword, warmRules } from './secret-rules/scan.js';
import { findLabelledSecrets } from './secret-labels.js';
import { assignmentDetector, findPrivateKeys, findTokens, findUrlCredentials } from './secrets.js';

/** The families a PII scan can look for. */
export type PiiCategory = 'email' | 'phone' | 'card' | 'iban' | 'ip' | 'national_id' | 'secret';

/** What a PII scan looks for and how. */
export interface PiiScanOptions {
  types: readonly PiiCategory[];
  /** The country national phone numbers (without `+`) are read for; without it, numbers written nationally (a trunk `0` with separators, North American groups) are tried for the likeliest countries. */
  defaultCountry?: CountryCode | undefined;
  nationalIds?: readonly NationalIdPattern[];
  /** Bits per character an `api_key=…` value needs to count as a secret (default 3.5). */
  minEntropy?: number;
}

/** The label a redacted match is replaced by: its kind in capitals (`[EMAIL]`, `[GITHUB_TOKEN]`, `[SSN]`). */
export function labelOf(kind: string): string {
  let label = LABELS.get(kind);
  if (label === undefined) {
    const name = kind.startsWith('national_id:') ? kind.slice('national_id:'.length) : kind;
    label = `[${name.toUpperCase()}]`;
    if (LABELS.size < 1_024) LABELS.set(kind, label);
  }
  return label;
}
// Labels by kind, made once: a body of 60,000 numbers redacts 60,000 times.
const LABELS = new Map<string, string>();

/**
 * What a text must contain for a detector to find anything in it: a digit (numbers, addresses),
 * an `@` (emails), an `[at]`-style mark (hidden emails), a keyword, a PEM header, or anything. Checked once per text, so the many short strings of a JSON body
 * skip the detectors that cannot match them.
 */
export type Gate = 'digit' | 'at' | 'at-mark' | 'token' | 'pem' | 'any';

/** A detector with its gate. */
export interface GatedDetector {
  gate: Gate;
  run: Detector;
}

/** The detectors of the chosen families, in the order overlaps are settled (secrets before the numbers inside them). */
export function detectorsFor(opts: PiiScanOptions): GatedDetector[] {
  const want = new Set(opts.types);
  const out: GatedDetector[] = [];
  const add = (gate: Gate, ...runs: Detector[]) => {
    for (const run of runs) out.push({ gate, run });
  };
  if (want.has('secret')) {
    warmRules();
    add('pem', findPrivateKeys);
    add('token', findTokens);
    add('any', assignmentDetector(opts.minEntropy ?? 3.5), findUrlCredentials, findLabelledSecrets);
  }
  if (want.has('email')) {
    add('at', findEmails);
    add('at-mark', findObfuscatedEmails);
  }
  if (want.has('iban')) add('digit', findIbans);
  if (want.has('card')) add('digit', findCards);
  if (want.has('national_id') && opts.nationalIds && opts.nationalIds.length > 0) add('any', nationalIdDetector(opts.nationalIds));
  if (want.has('ip')) add('digit', findIpv4, findIpv6);
  if (want.has('phone')) add('digit', phoneDetector({ defaultCountry: opts.defaultCountry }));
  return out;
}

const DIGIT = /[0-9]/;

/** A whole body, as bytes or text: asked whether it holds a string (one memchr-speed search each). */
export type Searchable = Buffer | string;

/**
 * The detectors worth running on any text of this ASCII body: those gated on an `@`, a provider
 * key's keyword or a PEM header are dropped when the whole raw body has none. A body with JSON \u
 * escapes, entities, percent-escapes or wrapped text (base64, hex) could spell them otherwise, so then every detector stays.
 */
export function detectorsForBody(detectors: readonly GatedDetector[], raw: Searchable): GatedDetector[] {
  // Only detectors gated on something the raw body must hold can be dropped.
  if (!detectors.some((d) => d.gate === 'at' || d.gate === 'at-mark' || d.gate === 'token' || d.gate === 'pem')) return [...detectors];
  if (raw.includes('\\u') || raw.includes('\\x') || raw.includes('&') || raw.includes('%')) return [...detectors];
  // Every keyword in one pass of the rules' alternation (a search per keyword was ~90 passes over the body).
  let text: string | undefined;
  const asText = () => (text ??= typeof raw === 'string' ? raw : raw.toString('latin1'));
  // Text wrapped in base64 or hex spells what the raw body does not hold.
  if (holdsWrappedText(asText())) return [...detectors];
  const keywords = detectors.some((d) => d.gate === 'token') && (raw.includes('eyJ') || holdsKeyword(asText()));
  const marks = detectors.some((d) => d.gate === 'at-mark') && holdsAtMark(asText());
  return detectors.filter((d) => {
    if (d.gate === 'at') return raw.includes('@');
    if (d.gate === 'at-mark') return marks;
    if (d.gate === 'token') return keywords;
    if (d.gate === 'pem') return raw.includes('-----BEGIN ');
    return true;
  });
}

/** Every match of the detectors in one text, overlaps resolved (the earliest, then the longest, wins); a body's texts share one budget. */
export function scanText(text: string, detectors: readonly GatedDetector[], budget: ScanBudget = newScanBudget()): Match[] {
  const found: Match[] = [];
  const digit = DIGIT.test(text);
  for (const d of detectors) {
    if (d.gate === 'digit' && !digit) continue;
    if (d.gate === 'at' && !text.includes('@')) continue;
    if (d.gate === 'pem' && !text.includes('-----BEGIN ')) continue;
    d.run(text, found, budget);
  }
  return resolveOverlaps(found);
}

/** The text with each match replaced by its label (or its own replacement). */
export function redactText(text: string, matches: readonly Match[]): string {
  if (matches.length === 0) return text;
  let out = '';
  let at = 0;
  for (const m of matches) {
    out += text.slice(at, m.start) + (m.replacement ?? labelOf(m.kind));
    at = m.end;
  }
  return out + text.slice(at);
}
