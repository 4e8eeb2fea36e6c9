import { isAlnum, isDigit, type Match } from './match.js';

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

/** Whether `digits[from, from + n)` starts like a card a network issues, at a length that network uses (cuts Luhn's one-in-ten false hits on other numbers). */
function issued(digits: Uint8Array, from: number, n: number): boolean {
  const d0 = digits[from]!;
  const two = d0 * 10 + digits[from + 1]!;
  const three = two * 10 + digits[from + 2]!;
  const four = three * 10 + digits[from + 3]!;
  if (d0 === 4) return n === 13 || n === 16 || n === 19;
  if ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720)) return n === 16;
  if (two === 34 || two === 37) return n === 15;
  // Diners Club International (and its Discover-network lengths).
  if (two === 36 || two === 38 || two === 39 || three === 309 || (three >= 300 && three <= 305)) return n >= 14 && n <= 19;
  // Discover, and RuPay's ranges on the same prefixes.
  if (four === 6011 || two === 65 || (three >= 644 && three <= 649)) return n >= 16 && n <= 19;
  if (four >= 3528 && four <= 3589) return n >= 16 && n <= 19;
  // UnionPay (62, and 81 since 2019) and RuPay (60, 81, 82, 508, 353, 356).
  if (two === 62 || two === 81 || two === 82 || two === 60 || three === 508 || three === 353 || three === 356) return n >= 16 && n <= 19;
  // Mir.
  if (four >= 2200 && four <= 2204) return n >= 16 && n <= 19;
  // Maestro, Verve, Dankort, Troy, InterPayment.
  if (two === 50 || (two >= 56 && two <= 58) || four === 6304 || four === 6759 || (four >= 6761 && four <= 6763) || four === 6500) return n >= 13 && n <= 19;
  if (four === 9792 || three === 636) return n >= 16 && n <= 19;
  return false;
}

const MAX_GROUPS = 4_096;
// Scratch buffers shared by every scan (scans are synchronous, so never interleaved): allocating
// them per call would cost more than the scan itself on short texts.
const digits = new Uint8Array(19 * 2 + 6);
const gStart = new Int32Array(MAX_GROUPS);
const gEnd = new Int32Array(MAX_GROUPS);

/**
 * Payment card numbers: 13–19 digits written solid or in groups of 3–6 separated by single spaces
 * or dashes, an issuer's prefix and length, and a valid Luhn checksum. Linear: each run of groups
 * is read once into a digit buffer, and only windows of whole groups up to 19 digits are tried.
 */
export function findCards(text: string, out: Match[]): void {
  const n = text.length;
  let i = 0;
  while (i < n) {
    if (!isDigit(text.charCodeAt(i)) || (i > 0 && isAlnum(text.charCodeAt(i - 1)))) {
      i++;
      continue;
    }
    let groups = 0;
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
      if ((sep === 32 || sep === 45) && j + 1 < n && isDigit(text.charCodeAt(j + 1))) j++;
      else break;
    }
    const runEnd = j;
    if (!(runEnd < n && isAlnum(text.charCodeAt(runEnd)))) {
      for (let g = 0; g < groups; g++) {
        const first = text.charCodeAt(gStart[g]!);
        // Card networks' numbers begin with 2–6.
        if (first < 50 || first > 54) continue;
        let count = 0;
        for (let h = g; h < groups; h++) {
          const len = gEnd[h]! - gStart[h]!;
          // One solid group, or groups of 3–6 digits each (1 1 1… is no card format).
          const solid = h === g && len >= 13 && len <= 19;
          if (groups > 1 && !solid && (len < 3 || len > 6)) break;
          if (count + len > 19) break;
          for (let k = gStart[h]!; k < gEnd[h]!; k++) digits[count++] = text.charCodeAt(k) - 48;
          if (count >= 13 && issued(digits, 0, count) && luhnOk(digits, 0, count)) {
            out.push({ kind: 'card', start: gStart[g]!, end: gEnd[h]! });
            g = h;
            break;
          }
        }
      }
    }
    i = runEnd + 1;
  }
}
