import { isIPv6 } from 'node:net';
import { isAlnum, isDigit, type Match } from './match.js';

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/** Reads four dot-separated numbers 0–255 from `s`; the end, or -1 when they are not there. */
function octetsAt(text: string, s: number): number {
  const n = text.length;
  let j = s;
  for (let parts = 1; ; parts++) {
    const ps = j;
    let value = 0;
    while (j < n && isDigit(text.charCodeAt(j)) && j - ps < 4) value = value * 10 + (text.charCodeAt(j++) - 48);
    const len = j - ps;
    if (len === 0 || len > 3 || (len > 1 && text.charCodeAt(ps) === 48) || value > 255) return -1;
    if (parts === 4) return j;
    if (text.charCodeAt(j) !== 46) return -1;
    j++;
  }
}

/**
 * IPv4 addresses: four dot-separated numbers 0–255, not part of a longer dotted or alphanumeric
 * run (versions like 1.2.3.4.5 are not addresses). Only the text around dots is read.
 */
export function findIpv4(text: string, out: Match[]): void {
  const n = text.length;
  let from = 0;
  for (;;) {
    const dot = text.indexOf('.', from);
    if (dot === -1) return;
    from = dot + 1;
    let s = dot;
    while (s > 0 && dot - s < 3 && isDigit(text.charCodeAt(s - 1))) s--;
    if (s === dot || (s > 0 && (isAlnum(text.charCodeAt(s - 1)) || text.charCodeAt(s - 1) === 46))) continue;
    const j = octetsAt(text, s);
    if (j === -1) continue;
    const next = text.charCodeAt(j);
    const trailingDot = next === 46 && j + 1 < n && isDigit(text.charCodeAt(j + 1));
    if ((j < n && isAlnum(next)) || trailingDot) continue;
    out.push({ kind: 'ipv4', start: s, end: j });
    from = j;
  }
}

/**
 * IPv6 addresses: runs of hex digits and colons (45 characters at most) on word boundaries,
 * with at least three groups, that node:net accepts. Times (12:30:45) have too few groups to pass.
 */
export function findIpv6(text: string, out: Match[]): void {
  if (text.indexOf(':') === -1) return;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (!(isHex(c) || c === 58) || (i > 0 && isAlnum(text.charCodeAt(i - 1)))) {
      i++;
      continue;
    }
    let j = i;
    let colons = 0;
    while (j < n && (isHex(text.charCodeAt(j)) || text.charCodeAt(j) === 58)) {
      if (text.charCodeAt(j) === 58) colons++;
      j++;
    }
    // An embedded IPv4 tail (::ffff:192.0.2.1).
    let end = j;
    if (text.charCodeAt(j) === 46) {
      while (end < n && (isDigit(text.charCodeAt(end)) || text.charCodeAt(end) === 46)) end++;
      // A sentence's full stop after the address is not part of it.
      while (end > j && text.charCodeAt(end - 1) === 46) end--;
    }
    // With the IPv4 tail first; a tail that is no address (`::1.5`) leaves the address before it.
    const found = colons >= 2 ? ipv6Between(text, i, end) || (end > j && ipv6Between(text, i, j)) : 0;
    if (found) out.push({ kind: 'ipv6', start: i, end: found });
    i = end > i ? end : i + 1;
  }
}

/** The end of an IPv6 address spanning text[s, e) on a word boundary, or 0. */
function ipv6Between(text: string, s: number, e: number): number {
  if (e - s > 45 || (e < text.length && isAlnum(text.charCodeAt(e)))) return 0;
  const candidate = text.slice(s, e);
  const groups = candidate.split(':').filter((g) => g.length > 0).length;
  if (!(groups >= 3 || (candidate.includes('::') && groups >= 2 && /[0-9a-f]{3}/i.test(candidate)))) return 0;
  return isIPv6(candidate) ? e : 0;
}
