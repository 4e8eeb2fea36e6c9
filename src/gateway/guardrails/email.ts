import type { Match } from './match.js';

const LOCAL_MAX = 64;
const DOMAIN_MAX = 253;

function isLocal(c: number): boolean {
  // A-Z a-z 0-9 . _ % + -
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 46 || c === 95 || c === 37 || c === 43 || c === 45;
}

function isDomain(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 46 || c === 45;
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** E-mail addresses: found from each `@` by bounded expansion either side, so the scan stays linear. */
export function findEmails(text: string, out: Match[]): void {
  let from = 0;
  for (;;) {
    const at = text.indexOf('@', from);
    if (at === -1) return;
    from = at + 1;
    let s = at;
    while (s > 0 && at - s < LOCAL_MAX && isLocal(text.charCodeAt(s - 1))) s--;
    while (s < at && text.charCodeAt(s) === 46) s++;
    if (s === at) continue;
    let e = at + 1;
    while (e < text.length && e - at <= DOMAIN_MAX && isDomain(text.charCodeAt(e))) e++;
    // The domain ends at its last label: trailing dots and dashes are punctuation.
    while (e > at + 1 && (text.charCodeAt(e - 1) === 46 || text.charCodeAt(e - 1) === 45)) e--;
    // The last dot, looked for only within this domain (lastIndexOf could run back over the whole text).
    let dot = e - 1;
    while (dot > at + 1 && text.charCodeAt(dot) !== 46) dot--;
    if (dot <= at + 1 || e - dot < 3) continue;
    let tld = true;
    for (let i = dot + 1; i < e; i++) if (!isLetter(text.charCodeAt(i))) tld = false;
    if (!tld) continue;
    out.push({ kind: 'email', start: s, end: e });
    from = e;
  }
}
