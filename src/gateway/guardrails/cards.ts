import { isAlnum, isDigit, type Match } from './match.js';
import { labelledOtherwise } from './number-labels.js';

/** Luhn checksum over `digits[from, to)` (digit values). */
export function luhnOk(digits: Uint8Array, from: number, to: number): boolean {
  let sum = 0;
  let double = false;
  for (let i = to - 1; i >= from; i--) {
    let d = digits[i]!;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/**
 * Whether `digits[from, from + n)` starts like a card a network issues, at a length that network
 * uses (cuts Luhn's one-in-ten false hits on other numbers). IIN ranges of Visa, Mastercard, Amex,
 * Diners, Discover, JCB, UnionPay, Maestro, Mir, RuPay, Elo, Troy, Uzcard and Humo, from the networks' tables.
 */
function issued(digits: Uint8Array, from: number, n: number): boolean {
  const d0 = digits[from]!;
  const two = d0 * 10 + digits[from + 1]!;
  const three = two * 10 + digits[from + 2]!;
  const four = three * 10 + digits[from + 3]!;
  const long = n >= 16 && n <= 19;
  if (d0 === 4) return n === 13 || n === 16 || n === 19;
  if (four >= 2200 && four <= 2204) return long; // Mir
  if ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720)) return n === 16;
  if (two === 34 || two === 37) return n === 15;
  if (two === 36 || two === 38 || two === 39 || (three >= 300 && three <= 305) || four === 3095) return n >= 14 && n <= 19; // Diners
  if (four >= 3528 && four <= 3589) return long; // JCB
  if (three === 353 || three === 356) return n === 16; // RuPay on JCB
  if (two === 62 || two === 81) return long; // UnionPay
  if (four === 6011 || two === 65 || (three >= 644 && three <= 649)) return long; // Discover, RuPay 65
  if (two === 50 || (two >= 56 && two <= 58) || four === 6304 || four === 6759 || (four >= 6761 && four <= 6763)) return n >= 13 && n <= 19; // Maestro
  if (two === 60) return n === 16; // RuPay
  if (two === 82) return n === 16; // RuPay
  if (three >= 636 && three <= 639) return n === 16; // Elo 636297 and 636368, InstaPayment 637–639
  if (four === 9792 || four === 8600 || four === 9860) return n === 16; // Troy, Uzcard, Humo
  if (four === 604) return n >= 16 && n <= 19; // Maestro's 0604 (validators' tables still issue it)
  return false;
}

const MAX_GROUPS = 4_096;
const DIGIT_AT = /[0-9]/g;
// Scratch buffers shared by every scan (scans are synchronous, so never interleaved): allocating
// them per call would cost more than the scan itself on short texts.
const digits = new Uint8Array(19 * 2 + 6);
const gStart = new Int32Array(MAX_GROUPS);
const gEnd = new Int32Array(MAX_GROUPS);

/**
 * Payment card numbers: 13–19 digits written solid or in groups of 3–6 separated by single spaces,
 * dashes or dots (one kind per number), an issuer's prefix and length, and a valid Luhn checksum. Linear: each run of groups
 * is read once into a digit buffer, and only windows of whole groups up to 19 digits are tried.
 */
export function findCards(text: string, out: Match[]): void {
  const n = text.length;
  let i = 0;
  while (i < n) {
    if (!isDigit(text.charCodeAt(i))) {
      // The next digit, found by the regex engine's scan (prose has a digit every few dozen characters).
      DIGIT_AT.lastIndex = i;
      if (!DIGIT_AT.test(text)) break;
      i = DIGIT_AT.lastIndex - 1;
    }
    if (i > 0 && isAlnum(text.charCodeAt(i - 1))) {
      i++;
      continue;
    }
    let groups = 0;
    let kind = 0;
    let j = i;
    for (;;) {
      const gs = j;
      while (j < n && isDigit(text.charCodeAt(j))) j++;
      if (groups < MAX_GROUPS) {
        gStart[groups] = gs;
        gEnd[groups] = j;
        groups++;
      }
      const sep = text.charCodeAt(j);
      // One separator kind for the whole number: `4111 1111-1111.1111` is no way to write a card. A `+` is a
      // space in a form-encoded body or query (`card_number=4111+1111+…`).
      if ((kind === 0 ? sep === 32 || sep === 45 || sep === 46 || sep === 43 : sep === kind) && j + 1 < n && isDigit(text.charCodeAt(j + 1))) {
        kind = sep;
        j++;
      } else break;
    }
    const runEnd = j;
    if (!(runEnd < n && isAlnum(text.charCodeAt(runEnd)))) {
      for (let g = 0; g < groups; g++) {
        const first = text.charCodeAt(gStart[g]!);
        // Card networks' numbers begin with 2–6, 8 or 9 (and Maestro's old 0604).
        if ((first < 50 && !(first === 48 && text.startsWith('604', gStart[g]! + 1))) || first === 55 || first > 57) continue;
        let count = 0;
        // The longest window of whole groups that is a card (a 19-digit UnionPay is not its first 16).
        let best = -1;
        for (let h = g; h < groups; h++) {
          const len = gEnd[h]! - gStart[h]!;
          // One solid group, or groups of 3–6 digits each (1 1 1… is no card format); after groups
          // of four, the last may be shorter (18 digits as 4-4-4-4-2).
          const solid = h === g && len >= 13 && len <= 19;
          const tail = h > g && len < 3 && gEnd[h - 1]! - gStart[h - 1]! === 4;
          if (groups > 1 && !solid && !tail && (len < 3 || len > 6)) break;
          if (count + len > 19) break;
          for (let k = gStart[h]!; k < gEnd[h]!; k++) digits[count++] = text.charCodeAt(k) - 48;
          if (count >= 13 && issued(digits, 0, count) && luhnOk(digits, 0, count)) best = h;
        }
        if (best !== -1) {
          if (!labelledOtherwise(text, gStart[g]!)) out.push({ kind: 'card', start: gStart[g]!, end: gEnd[best]! });
          g = best;
        }
      }
    }
    i = runEnd + 1;
  }
}
