import { isAlnum, type Match } from './match.js';
import { findRuleMatches, placeholderMarked } from './secret-rules/scan.js';

function urlSafe(c: number): boolean {
  return isAlnum(c) || c === 95 || c === 45;
}
function wordChar(c: number): boolean {
  return isAlnum(c) || c === 95;
}

function isTokenChar(c: number): boolean {
  return isAlnum(c) || c === 95 || c === 45 || c === 46;
}

/** A base64url segment of a JWT, from `s` to `e`. */
function isB64Url(text: string, s: number, e: number): boolean {
  if (e <= s) return false;
  for (let i = s; i < e; i++) if (!urlSafe(text.charCodeAt(i))) return false;
  return true;
}

/** The first dot in [s, e), or -1 (indexOf could run on past the token). */
function dotIn(text: string, s: number, e: number): number {
  for (let i = s; i < e; i++) if (text.charCodeAt(i) === 46) return i;
  return -1;
}

/** A JWT (header.payload.signature, both JSON parts starting `eyJ`) spanning a whole token run. */
function jwtIn(text: string, s: number, e: number): boolean {
  if (!text.startsWith('eyJ', s)) return false;
  const d1 = dotIn(text, s, e);
  if (d1 === -1 || d1 - s < 10) return false;
  if (!text.startsWith('eyJ', d1 + 1)) return false;
  const d2 = dotIn(text, d1 + 1, e);
  if (d2 === -1) return false;
  let end = e;
  while (end > d2 + 1 && text.charCodeAt(end - 1) === 46) end--;
  if (!isB64Url(text, s, d1) || !isB64Url(text, d1 + 1, d2)) return false;
  return end === d2 + 1 ? !unsecured(text.slice(s, d1)) : isB64Url(text, d2 + 1, end);
}

/**
 * Whether a JWT's header declares it unsecured (RFC 7519 §6: `"alg":"none"`, and so no signature): documentation's
 * example, carrying no secret. A token with an empty signature and any other algorithm was cut short, and is still one.
 */
function unsecured(header: string): boolean {
  if (header.length > 256) return false;
  const json = Buffer.from(header, 'base64url').toString('latin1');
  return /"alg"\s*:\s*"none"/i.test(json);
}

/** The end of the run of token characters from `s`. */
function runEnd(text: string, s: number): number {
  let e = s;
  while (e < text.length && isTokenChar(text.charCodeAt(e))) e++;
  return e;
}

/**
 * Provider keys and service tokens by the rule set (secret-rules/: AWS, GCP, GitHub, GitLab, Slack,
 * Stripe, OpenAI, Anthropic, Hugging Face, npm, SendGrid…) and JWTs, each found from its keyword.
 */
export function findTokens(text: string, out: Match[]): void {
  findRuleMatches(text, out);
  for (let at = text.indexOf('eyJ'); at !== -1; at = text.indexOf('eyJ', at + 1)) {
    if (at > 0 && isTokenChar(text.charCodeAt(at - 1))) continue;
    const e = runEnd(text, at);
    if (jwtIn(text, at, e)) {
      let end = e;
      while (text.charCodeAt(end - 1) === 46) end--;
      out.push({ kind: 'jwt', start: at, end });
    }
    // No JWT starts inside this run (each start must follow a non-token character).
    at = e - 1;
  }
}

const PEM_BEGIN = '-----BEGIN ';
const PEM_LIMIT = 16_384;

/** PEM private keys (RSA, EC, OpenSSH, PKCS#8, encrypted), from the BEGIN line to its END line. */
export function findPrivateKeys(text: string, out: Match[]): void {
  let from = 0;
  // The next END marker, looked up once per stretch of text, so BEGIN lines without one stay linear.
  let nextEnd = -2;
  for (;;) {
    const begin = text.indexOf(PEM_BEGIN, from);
    if (begin === -1) return;
    from = begin + PEM_BEGIN.length;
    const lineEnd = text.indexOf('-----', from);
    if (lineEnd === -1 || lineEnd - from > 40) continue;
    if (!text.slice(from, lineEnd).endsWith('PRIVATE KEY')) continue;
    if (nextEnd !== -1 && nextEnd < lineEnd) nextEnd = text.indexOf('-----END ', lineEnd + 5);
    let end: number;
    if (nextEnd !== -1 && nextEnd - begin <= PEM_LIMIT) {
      const close = text.indexOf('-----', nextEnd + 9);
      end = close === -1 || close - nextEnd > 60 ? nextEnd + 9 : close + 5;
    } else end = Math.min(text.length, begin + PEM_LIMIT);
    out.push({ kind: 'private_key', start: begin, end });
    from = end;
  }
}

// Scratch counts for entropy (synchronous, so never shared by two calls at once; left all zero).
const COUNTS = new Uint32Array(256);

/** Shannon entropy in bits per character. */
export function entropy(s: string): number {
  // Counts in a table of the 256 first code units (keys are ASCII), a Map only beyond: a body of
  // `token=…` lines judges thousands of values, and a Map per value cost more than the rest of the scan.
  let wide: Map<number, number> | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 256) COUNTS[c]!++;
    else {
      wide ??= new Map();
      wide.set(c, (wide.get(c) ?? 0) + 1);
    }
  }
  let h = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 256) continue;
    const n = COUNTS[c]!;
    if (n === 0) continue;
    COUNTS[c] = 0;
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  if (wide !== undefined)
    for (const n of wide.values()) {
      const p = n / s.length;
      h -= p * Math.log2(p);
    }
  return h;
}

const SECRET_NAMES = [
  'apikey',
  'api_key',
  'secret',
  'token',
  'password',
  'passwd',
  'pwd',
  'accesskey',
  'access_key',
  'privatekey',
  'private_key',
  'auth',
  'credential',
  // Azure storage and Service Bus connection strings: `AccountKey=…`, `SharedAccessKey=…`.
  'accountkey',
  'sharedaccesskey',
];

// A listing's position (`nextPageToken`, AWS's `NextToken`, `continuation_token`, a change stream's `resume_token`)
// authorises nothing: a cursor, though named a token.
const NAMES_NOT_SECRET = /(?:page|next|continuation|sync|resume)_?token$/;
// A name ending in a separate `id` (`api_key_id`, `keyId`, `TOKEN_ID`) holds a key's identifier, never the key itself
// (provider key ids that scanners flag, AWS's `AKIA…`, are found by their rule whatever the field).
const ID_NAME = /(?:[_-][iI][dD]|[a-z0-9]I[dD])s?$/;

// Field names repeat from body to body (`name`, `email`, `token`): their verdicts are remembered, boundedly.
const NAME_VERDICTS = new Map<string, boolean>();
const MAX_NAME_VERDICTS = 4_096;

/** Whether a field or variable name says it holds a secret (`api_key`, `clientSecret`, `X-Auth-Token`). */
export function secretName(name: string): boolean {
  const known = NAME_VERDICTS.get(name);
  if (known !== undefined) return known;
  const lower = name.toLowerCase().replace(/-/g, '_');
  const verdict = SECRET_NAMES.some((k) => lower.includes(k)) && !NAMES_NOT_SECRET.test(lower) && !ID_NAME.test(name);
  if (name.length <= 64) {
    if (NAME_VERDICTS.size >= MAX_NAME_VERDICTS) NAME_VERDICTS.clear();
    NAME_VERDICTS.set(name, verdict);
  }
  return verdict;
}

function isValueChar(c: number): boolean {
  return isAlnum(c) || c === 95 || c === 45 || c === 43 || c === 47 || c === 61 || c === 46 || c === 126;
}

/** Whether a value looks generated (a key, not a word): long enough, mixed, and random enough. */
export function looksGenerated(value: string, minEntropy: number): boolean {
  // An elided value (`eyJhbGciOiJIUzI1NiIs...`, `sk-abc123…`) is documentation showing a key's start, not a key.
  if (value.length < 16 || value.endsWith('...') || value.endsWith('…')) return false;
  let letters = false;
  let digits = false;
  let hex = true;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) digits = true;
    else if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) {
      letters = true;
      if (!((c >= 97 && c <= 102) || (c >= 65 && c <= 70))) hex = false;
    } else hex = false;
  }
  // A hex key draws on 16 symbols (4 bits at most): 32 random hex digits often measure under 3.5
  // bits a character, so hex keys of that length are judged against half a bit less.
  const floor = hex && value.length >= 32 ? minEntropy - 0.5 : minEntropy;
  return letters && digits && entropy(value) >= floor;
}

/** The length of an HTTP authentication scheme and its space at `v` (`Bearer `, `Basic `, `Token `), or 0. */
function schemeLength(text: string, v: number): number {
  for (const scheme of ['bearer ', 'basic ', 'token ']) {
    let k = 0;
    while (k < scheme.length && (text.charCodeAt(v + k) | (k < scheme.length - 1 ? 32 : 0)) === scheme.charCodeAt(k)) k++;
    if (k === scheme.length) return k;
  }
  return 0;
}

/** Whether a name says its value is a password: it ends with the word (`password`, `DB_PASSWORD`, `adminPwd`), not `password_hint` or `reset_password_url`. */
export function passwordName(name: string): boolean {
  const lower = name.toLowerCase();
  return /(?:^|[^a-z])(?:password|passwd|passphrase|pwd|pass)$|[a-z](?:password|passwd|pwd)$/.test(lower) || /[a-z]Pass(?:word)?$/.test(name);
}

function passwordValueChar(c: number): boolean {
  // Anything a password is typed with, up to what ends a value in text: whitespace, quotes, `,` `;` `}` `<`.
  return c > 32 && c !== 34 && c !== 39 && c !== 44 && c !== 59 && c !== 125 && c !== 60 && c !== 96 && c !== 127;
}

/**
 * Whether a password field's value is a password: 8 characters or more (the least NIST allows; `hunter2` is a joke), not a placeholder, and
 * mixing kinds: `required`, `********` and `<password>` are not.
 */
export function looksLikePassword(value: string): boolean {
  if (value.length < 8 || value.length > 128) return false;
  if (PLACEHOLDER_PASSWORD.test(value)) return false;
  let lower = 0;
  let upper = 0;
  let digit = 0;
  let other = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 97 && c <= 122) lower = 1;
    else if (c >= 65 && c <= 90) upper = 1;
    else if (c >= 48 && c <= 57) digit = 1;
    else other = 1;
  }
  // Letters with digits (`Winter2024`), or three kinds (`Tr-Ub!dor`): `true/false` and `read-only` are settings.
  return (lower + upper > 0 && digit === 1) || lower + upper + digit + other >= 3;
}

/** Passwords of examples and templates, not secrets: `****`, `password`, `<password>`, `${DB_PASSWORD}`… */
const PLACEHOLDER_PASSWORD =
  /^(?:\*+|x+|\.+|pass(?:word)?|passwd|pwd|secret|changeme|example|<[^>]*>|\[[^\]]*\]|\$\{[^}]*\}|\{\{[^}]*\}\}|%[^%]*%|\$[A-Za-z_]\w*)$/i;

function allDigits(text: string, s: number, e: number): boolean {
  for (let i = s; i < e; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Whether a value starting with `c`, `length` long, can be one of PLACEHOLDER_PASSWORD's. */
function mayBePlaceholder(c: number, length: number): boolean {
  // * x X . < [ $ { % start the marks; p s c e (either case) the words, none longer than 8.
  if (c === 42 || c === 120 || c === 88 || c === 46 || c === 60 || c === 91 || c === 36 || c === 123 || c === 37) return true;
  const lower = c | 32;
  return length <= 8 && (lower === 112 || lower === 115 || lower === 99 || lower === 101);
}

function userInfoChar(c: number): boolean {
  // RFC 3986 unreserved, sub-delims and percent-encoding, less ':' and '@'.
  return (
    isAlnum(c) || c === 45 || c === 46 || c === 95 || c === 126 || c === 37 || c === 33 || c === 36 || c === 38 || (c >= 39 && c <= 44) || c === 59 || c === 61
  );
}

function passwordChar(c: number): boolean {
  // Anything but what ends a URL's userinfo in running text: whitespace, '@', '/', quotes and brackets.
  return c > 32 && c !== 64 && c !== 47 && c !== 34 && c !== 39 && c !== 60 && c !== 62 && c !== 96 && c !== 127;
}

/**
 * The password of a URL's userinfo (`postgres://user:password@host`, `redis://default:…@…`), for
 * every scheme: connection strings carry their credentials in the clear (secretlint's
 * database-connection-string rule, generalised). Only the password is matched; placeholders are not.
 */
export function findUrlCredentials(text: string, out: Match[]): void {
  for (let at = text.indexOf('://'); at !== -1; at = text.indexOf('://', at + 3)) {
    const us = at + 3;
    let ue = us;
    while (ue < text.length && ue - us < 128 && userInfoChar(text.charCodeAt(ue))) ue++;
    // The user may be empty: Redis and Memcached URLs carry a password alone (`redis://:secret@cache:6379`).
    if (text.charCodeAt(ue) !== 58) continue;
    const ps = ue + 1;
    let pe = ps;
    while (pe < text.length && pe - ps < 256 && passwordChar(text.charCodeAt(pe))) pe++;
    // Under four characters is no credential worth the name (and a body of `s://u:p@` repeated would
    // otherwise be 130,000 findings a MiB).
    if (pe - ps < 4 || text.charCodeAt(pe) !== 64) continue;
    // `host:port@…` is no password: a port is digits only, and at most five of them.
    if (pe - ps <= 5 && allDigits(text, ps, pe)) continue;
    // Placeholders are words and marks of a few kinds: only such a value is read as a string.
    if (mayBePlaceholder(text.charCodeAt(ps), pe - ps) && PLACEHOLDER_PASSWORD.test(text.slice(ps, pe))) continue;
    out.push({ kind: 'url_password', start: ps, end: pe });
  }
}

// Keys their providers publish in web pages by design: Stripe's publishable keys (`pk_live_`, `pk_test_`) and Mapbox's
// public tokens (`pk.eyJ…`); their secret counterparts (`sk_live_`, `sk.eyJ…`) are what a field named `accessToken` must not leak.
const PUBLISHABLE_PREFIXES = ['pk_live_', 'pk_test_', 'pk.eyJ'];

function publishable(value: string): boolean {
  return PUBLISHABLE_PREFIXES.some((p) => value.startsWith(p));
}

/**
 * `api_key=…`, `"client_secret": "…"`, `X-Auth-Token: …` style assignments whose value looks
 * generated (entropy at least `minEntropy` bits per character): only the value is matched.
 */
export function assignmentDetector(minEntropy: number): (text: string, out: Match[]) => void {
  return (text, out) => {
    const n = text.length;
    for (let i = 0; i < n; i++) {
      // One pass over the characters: two indexOf cursors (one of them at -1) ran quadratic once
      // V8 optimised the loop (400 ms on 256 KiB of `a:`), a plain comparison stays linear.
      const c = text.charCodeAt(i);
      if (c !== 61 && c !== 58) continue;
      // The name before the = or :, past a closing quote and spaces.
      let k = i;
      while (k > 0 && i - k < 3 && (text.charCodeAt(k - 1) === 32 || text.charCodeAt(k - 1) === 34 || text.charCodeAt(k - 1) === 39)) k--;
      let ks = k;
      while (ks > 0 && k - ks < 40 && (wordChar(text.charCodeAt(ks - 1)) || text.charCodeAt(ks - 1) === 45)) ks--;
      // The shortest secret-like name is three letters (pwd).
      if (k - ks < 3 || !secretName(text.slice(ks, k))) continue;
      let v = i + 1;
      while (v < n && v - i < 4 && (text.charCodeAt(v) === 32 || text.charCodeAt(v) === 34 || text.charCodeAt(v) === 39)) v++;
      // `Authorization: Bearer <token>`: the credential follows the scheme's name.
      const scheme = schemeLength(text, v);
      const basic = scheme === 6 && (text.charCodeAt(v) | 32) === 98;
      v += scheme;
      let ve = v;
      const password = scheme === 0 && passwordName(text.slice(ks, k));
      if (password) while (ve < n && ve - v < 128 && passwordValueChar(text.charCodeAt(ve))) ve++;
      else while (ve < n && ve - v < 512 && isValueChar(text.charCodeAt(ve))) ve++;
      const value = text.slice(v, ve);
      // A password need not look random (`Winter2024!`); Basic credentials are base64 of user:password.
      const elided = text.charCodeAt(ve) === 0x2026;
      const found = password
        ? looksLikePassword(value)
        : basic
          ? value.length >= 8 && /[0-9+/=]/.test(value)
          : !elided && !publishable(value) && looksGenerated(value, minEntropy);
      if (found && (password || !placeholderMarked(text, v, ve))) out.push({ kind: 'api_key', start: v, end: ve });
      // No assignment starts inside a value just read (keeps `token=token=token…` linear).
      if (ve > i + 1) i = ve - 1;
    }
  };
}
