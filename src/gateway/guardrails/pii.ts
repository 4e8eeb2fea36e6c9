import type { CountryCode } from 'libphonenumber-js/max';
import { findCards } from './cards.js';
import { findEmails } from './email.js';
import { findIbans } from './iban.js';
import { findIpv4, findIpv6 } from './ip.js';
import { type Detector, type Match, newScanBudget, resolveOverlaps, type ScanBudget } from './match.js';
import { type NationalIdPattern, nationalIdDetector } from './national-id.js';
import { phoneDetector } from './phone.js';
import { rulesByLead } from './secret-rules/scan.js';
import { assignmentDetector, findPrivateKeys, findTokens, findUrlCredentials, TOKEN_PREFIXES } from './secrets.js';

/** The families a PII scan can look for. */
export type PiiCategory = 'email' | 'phone' | 'card' | 'iban' | 'ip' | 'national_id' | 'secret';

/** What a PII scan looks for and how. */
export interface PiiScanOptions {
  types: readonly PiiCategory[];
  /** The country national phone numbers (without `+`) are read for; without it only international ones are found. */
  defaultCountry?: CountryCode | undefined;
  nationalIds?: readonly NationalIdPattern[];
  /** Bits per character an `api_key=…` value needs to count as a secret (default 3.5). */
  minEntropy?: number;
}

/** The label a redacted match is replaced by: its kind in capitals (`[EMAIL]`, `[GITHUB_TOKEN]`, `[SSN]`). */
export function labelOf(kind: string): string {
  const name = kind.startsWith('national_id:') ? kind.slice('national_id:'.length) : kind;
  return `[${name.toUpperCase()}]`;
}

/**
 * What a text must contain for a detector to find anything in it: a digit (numbers, addresses),
 * an `@` (emails), or anything. Checked once per text, so the many short strings of a JSON body
 * skip the detectors that cannot match them.
 */
export type Gate = 'digit' | 'at' | 'token' | 'pem' | 'any';

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
    rulesByLead();
    add('pem', findPrivateKeys);
    add('token', findTokens);
    add('any', assignmentDetector(opts.minEntropy ?? 3.5), findUrlCredentials);
  }
  if (want.has('email')) add('at', findEmails);
  if (want.has('iban')) add('digit', findIbans);
  if (want.has('card')) add('digit', findCards);
  if (want.has('national_id') && opts.nationalIds && opts.nationalIds.length > 0) add('any', nationalIdDetector(opts.nationalIds));
  if (want.has('ip')) add('digit', findIpv4, findIpv6);
  if (want.has('phone')) add('digit', phoneDetector({ defaultCountry: opts.defaultCountry }));
  return out;
}

const DIGIT = /[0-9]/;

/** Something a whole body can be asked whether it contains a string: a Buffer or a string. */
export interface Searchable {
  includes(value: string): boolean;
}

/**
 * The detectors worth running on any text of this body: those gated on an `@`, a token prefix or
 * a PEM header are dropped when the whole raw body (one memchr-speed search each) has none. A body
 * with JSON \u escapes could spell them in escapes, so then every detector stays.
 */
export function detectorsForBody(detectors: readonly GatedDetector[], raw: Searchable): GatedDetector[] {
  // Escapes, entities and percent-encoding can spell an `@` or a prefix the raw bytes do not hold.
  if (raw.includes('\\u') || raw.includes('&') || raw.includes('%')) return [...detectors];
  return detectors.filter((d) => {
    if (d.gate === 'at') return raw.includes('@');
    if (d.gate === 'token') return TOKEN_PREFIXES.some((p) => raw.includes(p));
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

/** The text with each match replaced by its label. */
export function redactText(text: string, matches: readonly Match[]): string {
  if (matches.length === 0) return text;
  let out = '';
  let at = 0;
  for (const m of matches) {
    out += text.slice(at, m.start) + labelOf(m.kind);
    at = m.end;
  }
  return out + text.slice(at);
}
