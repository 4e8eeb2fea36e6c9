import type { Match } from './match.js';

const LOCAL_MAX = 64;

function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}
const DOMAIN_MAX = 253;
const UNICODE_WORD = /[\p{L}\p{M}\p{N}]/u;

/** Han, kana, Hangul and full-width forms: scripts written without spaces, so an address next to them ends where the script changes. */
function isCjk(c: number): boolean {
  return (c >= 0x2e80 && c <= 0xd7ff) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xff00 && c <= 0xffef);
}

/** A letter, digit or mark of any script (RFC 6531 addresses), surrogate halves included. */
function isWord(c: number): boolean {
  if (c < 128) return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  if (c >= 0xd800 && c <= 0xdfff) return true;
  return UNICODE_WORD.test(String.fromCharCode(c));
}

function isLocal(c: number): boolean {
  // word characters and . _ % + - '
  return isWord(c) || c === 46 || c === 95 || c === 37 || c === 43 || c === 45 || c === 39;
}

function isDomain(c: number): boolean {
  return isWord(c) || c === 46 || c === 45;
}

/** Whether two neighbouring characters are one in a CJK script and one not (where an unspaced address ends). */
function scriptChange(a: number, b: number): boolean {
  if (a < 128 && b < 128) return false;
  const sa = isCjk(a);
  const sb = isCjk(b);
  return sa !== sb && a !== 46 && b !== 46 && a !== 64 && b !== 64;
}

/** A top-level domain: letters of any script, or an A-label (`xn--p1ai`). */
function isTld(text: string, s: number, e: number): boolean {
  if (text.startsWith('xn--', s)) return e - s > 4;
  for (let i = s; i < e; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 48 && c <= 57) || c === 45 || c === 95 || !isWord(c)) return false;
  }
  return true;
}

/**
 * Whether the text before `s` makes what follows a URL's userinfo (`https://user@host`,
 * `postgres://user:password@host`): a login and a host, not an address (the password is
 * findUrlCredentials' to find).
 */
function inUrlUserinfo(text: string, s: number): boolean {
  if (text.startsWith('//', s - 2)) return true;
  if (text.charCodeAt(s - 1) !== 58) return false;
  let u = s - 1;
  while (u > 0 && s - u < 130 && text.charCodeAt(u - 1) !== 47 && text.charCodeAt(u - 1) > 32 && text.charCodeAt(u - 1) !== 64) u--;
  return text.startsWith('//', u - 2) && u - 3 >= 0 && text.charCodeAt(u - 3) === 58;
}

/**
 * E-mail addresses, in any script (RFC 6531: `müller@beispiel.de`, `用户@例子.中国`, `x@xn--p1ai`),
 * with subaddresses (`a+tag@`): found from each `@` by bounded expansion either side, so the scan
 * stays linear.
 */
export function findEmails(text: string, out: Match[]): void {
  let from = 0;
  for (;;) {
    const at = text.indexOf('@', from);
    if (at === -1) return;
    from = at + 1;
    let s = at;
    while (s > 0 && at - s < LOCAL_MAX && isLocal(text.charCodeAt(s - 1)) && !scriptChange(text.charCodeAt(s - 1), text.charCodeAt(s))) s--;
    // Leading dots and quotes are punctuation around the address.
    while (s < at && (text.charCodeAt(s) === 46 || text.charCodeAt(s) === 39)) s++;
    if (s === at || inUrlUserinfo(text, s)) continue;
    let e = at + 1;
    while (e < text.length && e - at <= DOMAIN_MAX && isDomain(text.charCodeAt(e)) && !scriptChange(text.charCodeAt(e - 1), text.charCodeAt(e))) e++;
    // The domain ends at its last label: trailing dots and dashes are punctuation.
    while (e > at + 1 && (text.charCodeAt(e - 1) === 46 || text.charCodeAt(e - 1) === 45)) e--;
    // The last dot, looked for only within this domain (lastIndexOf could run back over the whole text).
    let dot = e - 1;
    while (dot > at + 1 && text.charCodeAt(dot) !== 46) dot--;
    if (dot <= at + 1 || e - dot < 3) continue;
    if (!isTld(text, dot + 1, e)) continue;
    // `icon@2x.png`: an image's pixel-density suffix, not an address.
    if (isDigitCode(text.charCodeAt(at + 1)) && (text.charCodeAt(at + 2) | 32) === 120 && text.charCodeAt(at + 3) === 46 && dot === at + 3) continue;
    // `git@github.com:org/repo.git`: an scp-style remote (a login on a host and a path on it), not a mailbox.
    if (text.charCodeAt(e) === 58 && e + 1 < text.length && isRemotePath(text.charCodeAt(e + 1))) continue;
    out.push({ kind: 'email', start: s, end: e });
    from = e;
  }
}

/** A character that starts the path of an scp-style remote after `host:` (`org/repo`, `~/repo`, `/srv/git`). */
function isRemotePath(c: number): boolean {
  return isWord(c) || c === 126 || c === 47 || c === 46;
}

// `name [at] domain [dot] com`, `name(at)domain.com`, `name [@] domain`, `NAME AT DOMAIN DOT COM`: the
// ways people hide an address from harvesters, which a model reads as one. Lower-case ` at `/` dot `
// is ordinary prose ("look at this dot com chart") and is left alone.
const AT_MARK = /[[({<] ?(?:[aA][tT]|@) ?[\])}>]| AT /g;
const DOT_MARK = / ?[[({<] ?(?:[dD][oO][tT]|\.) ?[\])}>] ?| DOT /y;
const LABEL_MAX = 63;

function isLabel(c: number): boolean {
  return isWord(c) || c === 45;
}

/** Whether a text holds an `[at]`-style mark anywhere (one pass): a body without one skips the search for hidden addresses. */
export function holdsAtMark(text: string): boolean {
  AT_MARK.lastIndex = 0;
  const found = AT_MARK.test(text);
  AT_MARK.lastIndex = 0;
  return found;
}

/** Addresses written with an `[at]`-style mark for the `@` (and optionally `[dot]` for the dots), found from each mark. */
export function findObfuscatedEmails(text: string, out: Match[]): void {
  AT_MARK.lastIndex = 0;
  for (let hit = AT_MARK.exec(text); hit !== null; hit = AT_MARK.exec(text)) {
    const ms = hit.index;
    const me = ms + hit[0].length;
    let b = ms;
    if (text.charCodeAt(b - 1) === 32 && hit[0] !== ' AT ') b--;
    let s = b;
    while (s > 0 && b - s < LOCAL_MAX && isLocal(text.charCodeAt(s - 1))) s--;
    while (s < b && text.charCodeAt(s) === 46) s++;
    if (s === b) continue;
    let p = me;
    if (text.charCodeAt(p) === 32 && hit[0] !== ' AT ') p++;
    let labels = 0;
    let lastStart = p;
    let end = p;
    for (;;) {
      const ls = p;
      while (p < text.length && p - ls < LABEL_MAX && isLabel(text.charCodeAt(p))) p++;
      if (p === ls) break;
      labels++;
      lastStart = ls;
      end = p;
      if (text.charCodeAt(p) === 46 && isLabel(text.charCodeAt(p + 1))) {
        p++;
        continue;
      }
      DOT_MARK.lastIndex = p;
      const dot = DOT_MARK.exec(text);
      if (dot === null) break;
      p = DOT_MARK.lastIndex;
    }
    if (labels < 2 || end - lastStart < 2 || !isTld(text, lastStart, end)) continue;
    out.push({ kind: 'email', start: s, end });
    AT_MARK.lastIndex = Math.max(AT_MARK.lastIndex, end);
  }
}
