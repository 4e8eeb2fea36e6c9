import { isIPv6 } from 'node:net';
import { afterNumberingWord, HeaderCells } from './ip-numbering.js';
import { isAlnum, isDigit, type Match } from './match.js';

function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

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
 * Whether the address at `s` is a product token's version (`Chrome/120.0.0.0`, `Edg/122.0.2365.92`, RFC 9110's
 * `product/version` of a User-Agent): a word right before the `/` that itself starts a token, not a path's segment (`/hosts/10.0.0.1`).
 */
function productVersion(text: string, s: number): boolean {
  if (text.charCodeAt(s - 1) !== 47) return false;
  let b = s - 1;
  while (b > 0 && s - 1 - b < 24 && isAsciiLetter(text.charCodeAt(b - 1))) b--;
  if (b === s - 1) return false;
  const c = text.charCodeAt(b - 1);
  return b === 0 || c === 32 || c === 9 || c === 10 || c === 40 || c === 34 || c === 39 || c === 59 || c === 44;
}

/**
 * A subnet mask (`255.255.240.0`: ones then zeros, led by 255) or a wildcard mask (`0.0.0.255`, Cisco's inverse:
 * zeros then ones, led by 0; `0.0.0.0`, the unspecified address, among them) names a network's size, never a host.
 */
function isMask(quad: string): boolean {
  const parts = quad.split('.').map(Number);
  if (parts[0] !== 255 && parts[0] !== 0) return false;
  const bits = ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
  const ones = parts[0] === 0 ? bits : ~bits >>> 0;
  return (ones & (ones + 1)) === 0;
}

/**
 * An X.500 object identifier (`2.5.4.3` commonName, `2.5.29.17` subjectAltName, `2.5.6.x` object classes) or one
 * named by an ASN.1 arc like `id-ce`/`id-at` before it: the OIDs certificates and LDAP schemas print.
 */
function objectIdentifier(text: string, s: number, quad: string): boolean {
  if (/^2\.5\.(?:4|6|29)\./.test(quad)) return true;
  return /(?:^|[\s(])id-[a-z]{2,8}\s+$/.test(text.slice(Math.max(0, s - 16), s));
}

// A price or amount: a currency's sign or code before the numbers, or a sign or local abbreviation after them
// (`€ 1.250.000.50`, `12.50.10.5 zł`); a code after them is left alone (`… 192.168.0.1 USD charged` reads both ways).
const CURRENCY_BEFORE =
  /(?:[$€£¥₹₽₺₩₪฿₫₴₦]|\b(?:EUR|USD|GBP|CHF|JPY|CNY|RMB|INR|RUB|BRL|R\$|PLN|SEK|NOK|DKK|CZK|HUF|TRY|MXN|ARS|CLP|COP|IDR|VND|ZAR|AUD|CAD|NZD))\s?$/;
const CURRENCY_AFTER = /^\s?(?:[$€£¥₹₽₺₩₪฿₫₴₦]|(?:руб|zł|kr|Kč|Ft|TL|грн)(?![\p{L}\p{N}]))/u;

/** Whether the numbers at `[s, j)` are an amount of money: a currency sign or code stands right before or after them. */
function priced(text: string, s: number, j: number): boolean {
  return CURRENCY_BEFORE.test(text.slice(Math.max(0, s - 4), s)) || CURRENCY_AFTER.test(text.slice(j, j + 5));
}

// A package's or installer's file name ends its version with the extension (`app-2.1.0.3.tar.gz`, `setup_1.4.2.9.exe`).
const PACKAGE_EXTENSION = /^\.(?:tar|tgz|gz|bz2|xz|zip|7z|rar|jar|war|whl|egg|gem|nupkg|exe|msi|dmg|pkg|deb|rpm|apk|ipa|iso|img)\b/i;

/** A version's pre-release or build tag right after the numbers (`5.15.0.91-generic`, `2.0.1.3-rc1`, `1.2.3.4+build`): no address carries one. */
function versionTag(text: string, j: number): boolean {
  const c = text.charCodeAt(j);
  const next = text.charCodeAt(j + 1);
  return (c === 45 || c === 43) && ((next >= 65 && next <= 90) || (next >= 97 && next <= 122));
}

/**
 * A network written in CIDR notation whose host bits are all zero (`10.0.0.0/8`, `172.16.0.0/12`): a range in a rule or a
 * document names no host. A host's address with its prefix (`192.168.1.14/24`) is still one.
 */
function networkRange(text: string, j: number, quad: string): boolean {
  const m = /^\/(\d{1,2})(?!\d)/.exec(text.slice(j, j + 4));
  if (m === null) return false;
  const prefix = Number(m[1]);
  if (prefix >= 32) return false;
  const parts = quad.split('.').map(Number);
  const bits = ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
  return (bits & (0xffffffff >>> prefix)) === 0;
}

/**
 * A container image's tag (`mcr.microsoft.com/dotnet/sdk:8.0.100.1`, `registry/app:1.2.3.4`): the numbers follow a `:`
 * glued to a repository path (a `/` in it, no `@` or `//` of a URL's user or scheme), not a field's name.
 */
function imageTag(text: string, s: number): boolean {
  if (text.charCodeAt(s - 1) !== 58) return false;
  let b = s - 1;
  while (b > 0 && s - b < 128 && imageRefChar(text.charCodeAt(b - 1))) b--;
  const ref = text.slice(b, s - 1);
  return ref.includes('/') && !ref.includes('//') && /[a-z0-9]$/i.test(ref);
}

/** A character of an image reference's repository: lower-case letters, digits, `.`, `_`, `-` and `/`. */
function imageRefChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 46 || c === 95 || c === 45 || c === 47;
}

/**
 * IPv4 addresses: four dot-separated numbers 0–255, not part of a longer dotted or alphanumeric
 * run (versions like 1.2.3.4.5 are not addresses), nor after a word that numbers things (`version
 * 2.10.3.1`). Only the text around dots is read.
 */
export function findIpv4(text: string, out: Match[]): void {
  const n = text.length;
  const headers = new HeaderCells(text);
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
    const quad = text.slice(s, j);
    if (
      (j < n && isAlnum(next)) ||
      trailingDot ||
      afterNumberingWord(text, s) ||
      productVersion(text, s) ||
      versionTag(text, j) ||
      (next === 46 && PACKAGE_EXTENSION.test(text.slice(j, j + 7))) ||
      isMask(quad) ||
      objectIdentifier(text, s, quad) ||
      priced(text, s, j) ||
      networkRange(text, j, quad) ||
      imageTag(text, s) ||
      headers.numbersColumn(s, j)
    )
      continue;
    out.push({ kind: 'ipv4', start: s, end: j });
    from = j;
  }
}

/** How many non-empty colon-separated groups a candidate has. */
function groupCount(candidate: string): number {
  return candidate.split(':').filter((g) => g.length > 0).length;
}

/** Whether a candidate is shaped enough to be an address (times like 12:30:45 are not), and node:net accepts it. */
function addressLike(candidate: string, bracketed: boolean): boolean {
  const groups = groupCount(candidate);
  const shaped = groups >= 3 || (candidate.includes('::') && ((groups >= 2 && /[0-9a-f]{3}/i.test(candidate)) || bracketed));
  return shaped && isIPv6(candidate);
}

/**
 * IPv6 addresses: runs of hex digits and colons (45 characters at most) on word boundaries,
 * with at least three groups (or `::` and a bracket, `[::1]:8080`), that node:net accepts. An
 * address may end a sentence (its full stop is not part of it) or carry an unbracketed `:port`.
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
    while (j < n && j - i <= 45 && (isHex(text.charCodeAt(j)) || text.charCodeAt(j) === 58)) {
      if (text.charCodeAt(j) === 58) colons++;
      j++;
    }
    // An embedded IPv4 tail (::ffff:192.0.2.1), without a sentence's full stop after it.
    let end = j;
    if (text.charCodeAt(j) === 46 && isDigit(text.charCodeAt(j + 1))) {
      while (end < n && end - i <= 45 && (isDigit(text.charCodeAt(end)) || text.charCodeAt(end) === 46)) end++;
      while (text.charCodeAt(end - 1) === 46) end--;
    }
    if (colons >= 2 && end - i <= 45 && !(end < n && isAlnum(text.charCodeAt(end)))) {
      // `[::1]` as a URL's host, not `a[::2]`, a slice in code (an index follows a name or a bracket).
      const before = i > 1 ? text.charCodeAt(i - 2) : 32;
      const bracketed =
        i > 0 && text.charCodeAt(i - 1) === 91 && text.charCodeAt(end) === 93 && !isAlnum(before) && before !== 95 && before !== 93 && before !== 41;
      let candidate = text.slice(i, end);
      let found = addressLike(candidate, bracketed);
      if (!found && end === j) {
        // host:port written without brackets: a full eight-group address and a decimal port.
        const last = candidate.lastIndexOf(':');
        const port = candidate.slice(last + 1);
        if (/^[0-9]{1,5}$/.test(port) && !candidate.includes('::') && groupCount(candidate) === 9) {
          candidate = candidate.slice(0, last);
          found = addressLike(candidate, false);
          if (found) end = i + last;
        }
      }
      if (found) out.push({ kind: 'ipv6', start: i, end });
    }
    i = j > i ? j : i + 1;
  }
}
