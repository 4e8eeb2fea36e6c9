import type { CountryCode } from 'libphonenumber-js/max';
import { findCards } from './cards.js';
import { findEmails } from './email.js';
import { findIbans } from './iban.js';
import { findIpv4, findIpv6 } from './ip.js';
import { type Detector, type Match, resolveOverlaps } from './match.js';
import { type NationalIdPattern, nationalIdDetector } from './national-id.js';
import { phoneDetector } from './phone.js';
import { assignmentDetector, findPrivateKeys, findTokens } from './secrets.js';

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

/** The detectors of the chosen families, in the order overlaps are settled (secrets before the numbers inside them). */
export function detectorsFor(opts: PiiScanOptions): Detector[] {
  const want = new Set(opts.types);
  const out: Detector[] = [];
  if (want.has('secret')) out.push(findPrivateKeys, findTokens, assignmentDetector(opts.minEntropy ?? 3.5));
  if (want.has('email')) out.push(findEmails);
  if (want.has('iban')) out.push(findIbans);
  if (want.has('card')) out.push(findCards);
  if (want.has('national_id') && opts.nationalIds && opts.nationalIds.length > 0) out.push(nationalIdDetector(opts.nationalIds));
  if (want.has('ip')) out.push(findIpv4, findIpv6);
  if (want.has('phone')) out.push(phoneDetector({ defaultCountry: opts.defaultCountry }));
  return out;
}

/** Every match of the detectors in one text, overlaps resolved (the earliest, then the longest, wins). */
export function scanText(text: string, detectors: readonly Detector[]): Match[] {
  const found: Match[] = [];
  for (const d of detectors) d(text, found);
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
