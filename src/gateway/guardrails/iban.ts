import { isAlnum, type Match } from './match.js';
import { labelledOtherwise } from './number-labels.js';

/** IBAN lengths by country (ISO 13616 registry; with the countries SWIFT's registry added 2021–2024: Libya, Sudan, Burundi, Djibouti, Russia, Somalia, Nicaragua, Mongolia, the Falklands, Oman, Yemen). */
const LENGTHS: Record<string, number> = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BI: 27,
  BR: 29,
  BY: 28,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DJ: 27,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FK: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IQ: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LC: 32,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  LY: 25,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MN: 20,
  MR: 27,
  MT: 31,
  MU: 30,
  NI: 28,
  NL: 18,
  NO: 15,
  OM: 23,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  RU: 33,
  SA: 24,
  SC: 31,
  SD: 18,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  SO: 23,
  ST: 25,
  SV: 28,
  TL: 23,
  TN: 24,
  TR: 26,
  UA: 29,
  VA: 22,
  VG: 24,
  XK: 20,
  YE: 30,
};

/** Lengths by the two letters' codes, for a lookup without building the country string. */
const BY_CODE = new Uint8Array(26 * 26);
for (const [cc, len] of Object.entries(LENGTHS)) BY_CODE[(cc.charCodeAt(0) - 65) * 26 + (cc.charCodeAt(1) - 65)] = len;

/** Countries whose account part (after the check digits) is digits only: a letter there ends the candidate early. */
const NUMERIC = new Set([
  'AT',
  'BA',
  'BE',
  'CZ',
  'DE',
  'DK',
  'EE',
  'ES',
  'FI',
  'FO',
  'GL',
  'HR',
  'IL',
  'IS',
  'LT',
  'ME',
  'NO',
  'PL',
  'PT',
  'RS',
  'SE',
  'SI',
  'SK',
  'TN',
]);
const NUMERIC_CODES = new Uint8Array(26 * 26);
for (const cc of NUMERIC) NUMERIC_CODES[(cc.charCodeAt(0) - 65) * 26 + (cc.charCodeAt(1) - 65)] = 1;

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
/** A letter's index in the alphabet, either case. */
function letterIndex(c: number): number {
  return (c >= 97 ? c - 32 : c) - 65;
}
function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * Folds one IBAN character into a running mod-97 remainder (digits as themselves, letters as
 * 10–35). The remainder is reduced only once it nears 2^53, not at every character.
 */
function fold(rem: number, c: number): number {
  const upper = c >= 97 ? c - 32 : c;
  const next = isDigitCode(upper) ? rem * 10 + (upper - 48) : rem * 100 + (upper - 55);
  return next >= 1e13 ? next % 97 : next;
}

/** ISO 7064 mod 97-10 over the rearranged IBAN (country and check digits moved to the end). */
export function ibanChecksumOk(iban: string): boolean {
  let rem = 0;
  for (let i = 4; i < iban.length; i++) rem = fold(rem, iban.charCodeAt(i));
  for (let i = 0; i < 4; i++) rem = fold(rem, iban.charCodeAt(i));
  return rem % 97 === 1;
}

/**
 * IBANs in either case (people type them in lower case), written solid or in groups of four separated by single spaces or dashes: the country's length and
 * the mod-97 checksum must both hold. Linear: each candidate is read at most 34 characters ahead,
 * its checksum folded as it is read.
 */
export function findIbans(text: string, out: Match[]): void {
  const n = text.length;
  for (let i = 0; i + 15 <= n; i++) {
    if (!isLetter(text.charCodeAt(i)) || !isLetter(text.charCodeAt(i + 1)) || !isDigitCode(text.charCodeAt(i + 2)) || !isDigitCode(text.charCodeAt(i + 3)))
      continue;
    if (i > 0 && isAlnum(text.charCodeAt(i - 1))) continue;
    const code = letterIndex(text.charCodeAt(i)) * 26 + letterIndex(text.charCodeAt(i + 1));
    const want = BY_CODE[code]!;
    if (want === 0) continue;
    const numeric = NUMERIC_CODES[code] === 1;
    let count = 4;
    let rem = 0;
    let j = i + 4;
    while (j < n && count < want) {
      const c = text.charCodeAt(j);
      if (numeric ? isDigitCode(c) : isAlnum(c)) {
        rem = fold(rem, c);
        count++;
        j++;
      } else if ((c === 32 || c === 45) && count % 4 === 0 && j + 1 < n && isAlnum(text.charCodeAt(j + 1))) j++;
      else break;
    }
    if (count !== want || (j < n && isAlnum(text.charCodeAt(j)))) continue;
    for (let k = i; k < i + 4; k++) rem = fold(rem, text.charCodeAt(k));
    if (rem % 97 !== 1 || labelledOtherwise(text, i)) continue;
    out.push({ kind: 'iban', start: i, end: j });
    i = j - 1;
  }
}
