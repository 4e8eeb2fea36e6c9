import { isAlnum, type Match } from './match.js';

/** A token kind recognised by its prefix, the characters after it, and how many. */
interface PrefixedToken {
  kind: string;
  prefixes: readonly string[];
  body: (c: number) => boolean;
  min: number;
  max: number;
}

function upperOrDigit(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90);
}
function urlSafe(c: number): boolean {
  return isAlnum(c) || c === 95 || c === 45;
}
function wordChar(c: number): boolean {
  return isAlnum(c) || c === 95;
}
function slackChar(c: number): boolean {
  return isAlnum(c) || c === 45;
}

function hex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102);
}
function urlSafeDot(c: number): boolean {
  return urlSafe(c) || c === 46;
}
function urlPath(c: number): boolean {
  return isAlnum(c) || c === 47 || c === 95 || c === 45;
}
function upperAlnum(c: number): boolean {
  return upperOrDigit(c);
}
function urlSafeEq(c: number): boolean {
  return urlSafe(c) || c === 61;
}

/**
 * Keys and tokens by their providers' documented formats — the prefixes gitleaks' and secretlint's
 * rule sets key on. A prefix is looked up with indexOf, so a text holding none costs one search
 * per prefix. Bodies are bounded both ways: a too-short or too-long run is not the token.
 */
const PREFIXED: readonly PrefixedToken[] = [
  { kind: 'aws_access_key', prefixes: ['AKIA', 'ASIA', 'ABIA', 'ACCA'], body: upperOrDigit, min: 16, max: 16 },
  { kind: 'gcp_api_key', prefixes: ['AIza'], body: urlSafe, min: 35, max: 35 },
  { kind: 'google_oauth_token', prefixes: ['ya29.'], body: urlSafeDot, min: 30, max: 2_048 },
  { kind: 'github_token', prefixes: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'], body: isAlnum, min: 36, max: 251 },
  { kind: 'github_token', prefixes: ['github_pat_'], body: wordChar, min: 22, max: 244 },
  {
    kind: 'gitlab_token',
    prefixes: ['glpat-', 'gloas-', 'gldt-', 'glrt-', 'glptt-', 'glcbt-', 'glimt-', 'glagent-', 'glsoat-', 'glffct-'],
    body: urlSafe,
    min: 20,
    max: 64,
  },
  { kind: 'slack_token', prefixes: ['xoxb-', 'xoxp-', 'xoxa-', 'xoxr-', 'xoxs-', 'xoxe-', 'xoxe.xoxp-', 'xapp-'], body: slackChar, min: 10, max: 250 },
  {
    kind: 'slack_webhook',
    prefixes: ['https://hooks.slack.com/services/', 'https://hooks.slack.com/workflows/', 'https://hooks.slack.com/triggers/'],
    body: urlPath,
    min: 20,
    max: 200,
  },
  { kind: 'discord_webhook', prefixes: ['https://discord.com/api/webhooks/', 'https://discordapp.com/api/webhooks/'], body: urlPath, min: 40, max: 200 },
  { kind: 'stripe_key', prefixes: ['sk_live_', 'rk_live_', 'sk_test_', 'rk_test_', 'whsec_'], body: isAlnum, min: 16, max: 247 },
  // OpenAI: project, service-account and admin keys; the legacy form is sk- and 48 letters and digits.
  { kind: 'openai_key', prefixes: ['sk-proj-', 'sk-svcacct-', 'sk-admin-', 'sk-None-'], body: urlSafe, min: 32, max: 256 },
  { kind: 'openai_key', prefixes: ['sk-'], body: isAlnum, min: 48, max: 48 },
  { kind: 'anthropic_key', prefixes: ['sk-ant-'], body: urlSafe, min: 32, max: 256 },
  { kind: 'huggingface_token', prefixes: ['hf_'], body: isAlnum, min: 30, max: 40 },
  { kind: 'huggingface_token', prefixes: ['api_org_'], body: isAlnum, min: 30, max: 40 },
  { kind: 'groq_key', prefixes: ['gsk_'], body: isAlnum, min: 48, max: 56 },
  { kind: 'replicate_token', prefixes: ['r8_'], body: isAlnum, min: 36, max: 40 },
  { kind: 'perplexity_key', prefixes: ['pplx-'], body: isAlnum, min: 40, max: 56 },
  { kind: 'xai_key', prefixes: ['xai-'], body: isAlnum, min: 70, max: 90 },
  { kind: 'npm_token', prefixes: ['npm_'], body: isAlnum, min: 36, max: 36 },
  { kind: 'pypi_token', prefixes: ['pypi-AgEIcHlwaS5vcmc', 'pypi-AgENdGVzdC5weXBpLm9yZw'], body: urlSafe, min: 40, max: 300 },
  { kind: 'sendgrid_key', prefixes: ['SG.'], body: urlSafeDot, min: 60, max: 80 },
  { kind: 'mailgun_key', prefixes: ['key-'], body: hex, min: 32, max: 32 },
  { kind: 'twilio_key', prefixes: ['SK'], body: hex, min: 32, max: 32 },
  { kind: 'shopify_token', prefixes: ['shpat_', 'shpca_', 'shppa_', 'shpss_'], body: isAlnum, min: 32, max: 32 },
  { kind: 'atlassian_token', prefixes: ['ATATT3', 'ATCTT3'], body: urlSafeEq, min: 100, max: 300 },
  { kind: 'digitalocean_token', prefixes: ['dop_v1_', 'doo_v1_', 'dor_v1_'], body: hex, min: 64, max: 64 },
  { kind: 'linear_key', prefixes: ['lin_api_', 'lin_oauth_'], body: isAlnum, min: 40, max: 40 },
  { kind: 'doppler_token', prefixes: ['dp.pt.', 'dp.st.', 'dp.sa.', 'dp.ct.', 'dp.scim.', 'dp.audit.'], body: isAlnum, min: 40, max: 48 },
  { kind: 'postman_key', prefixes: ['PMAK-'], body: urlSafe, min: 50, max: 70 },
  { kind: 'databricks_token', prefixes: ['dapi'], body: hex, min: 32, max: 32 },
  { kind: 'figma_token', prefixes: ['figd_'], body: urlSafe, min: 40, max: 60 },
  { kind: 'notion_token', prefixes: ['ntn_'], body: isAlnum, min: 40, max: 50 },
  { kind: 'notion_token', prefixes: ['secret_'], body: isAlnum, min: 43, max: 43 },
  { kind: 'sentry_token', prefixes: ['sntrys_', 'sntryu_'], body: urlSafeEq, min: 40, max: 300 },
  { kind: 'grafana_token', prefixes: ['glsa_', 'glc_'], body: urlSafeEq, min: 32, max: 300 },
  { kind: 'newrelic_key', prefixes: ['NRAK-', 'NRJS-', 'NRII-'], body: upperAlnum, min: 19, max: 27 },
  { kind: 'heroku_key', prefixes: ['HRKU-'], body: urlSafe, min: 30, max: 80 },
  { kind: 'supabase_token', prefixes: ['sbp_', 'sb_secret_'], body: urlSafe, min: 32, max: 64 },
  { kind: 'vault_token', prefixes: ['hvs.', 'hvb.'], body: urlSafe, min: 24, max: 300 },
  { kind: 'docker_token', prefixes: ['dckr_pat_', 'dckr_oat_'], body: urlSafe, min: 24, max: 64 },
  { kind: 'pulumi_token', prefixes: ['pul-'], body: hex, min: 40, max: 40 },
  { kind: 'age_secret_key', prefixes: ['AGE-SECRET-KEY-1'], body: upperAlnum, min: 58, max: 58 },
  { kind: 'square_token', prefixes: ['sq0atp-', 'sq0csp-'], body: urlSafe, min: 22, max: 100 },
  { kind: 'dropbox_token', prefixes: ['sl.'], body: urlSafe, min: 130, max: 1_400 },
  { kind: 'mapbox_token', prefixes: ['sk.eyJ'], body: urlSafeDot, min: 60, max: 300 },
  { kind: 'alibaba_key', prefixes: ['LTAI'], body: isAlnum, min: 20, max: 24 },
  { kind: 'tencent_key', prefixes: ['AKID'], body: isAlnum, min: 32, max: 32 },
  { kind: 'planetscale_token', prefixes: ['pscale_tkn_', 'pscale_pw_', 'pscale_oauth_'], body: urlSafeDot, min: 32, max: 64 },
];

/** Every prefix a token kind (or a JWT) starts with. */
export const TOKEN_PREFIXES: readonly string[] = [...PREFIXED.flatMap((t) => t.prefixes), 'eyJ'];

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
  return isB64Url(text, s, d1) && isB64Url(text, d1 + 1, d2) && (end === d2 + 1 || isB64Url(text, d2 + 1, end));
}

/** The end of the run of token characters from `s`. */
function runEnd(text: string, s: number): number {
  let e = s;
  while (e < text.length && isTokenChar(text.charCodeAt(e))) e++;
  return e;
}

/**
 * Cloud keys and service tokens by their documented prefixes (PREFIXED) and JWTs: each prefix is looked up with indexOf (far faster than reading every
 * character), and only where it starts a token is the token read — each at most its longest
 * length, so the scan stays linear.
 */
export function findTokens(text: string, out: Match[]): void {
  for (const t of PREFIXED) {
    for (const prefix of t.prefixes) {
      for (let at = text.indexOf(prefix); at !== -1; at = text.indexOf(prefix, at + 1)) {
        if (at > 0 && isTokenChar(text.charCodeAt(at - 1))) continue;
        let j = at + prefix.length;
        while (j < text.length && j - at - prefix.length < t.max && t.body(text.charCodeAt(j))) j++;
        const len = j - at - prefix.length;
        if (len >= t.min && !(j < text.length && t.body(text.charCodeAt(j)))) out.push({ kind: t.kind, start: at, end: j });
      }
    }
  }
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

/** Shannon entropy in bits per character. */
export function entropy(s: string): number {
  const counts = new Map<number, number>();
  for (let i = 0; i < s.length; i++) counts.set(s.charCodeAt(i), (counts.get(s.charCodeAt(i)) ?? 0) + 1);
  let h = 0;
  for (const c of counts.values()) {
    const p = c / s.length;
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
  'accountkey',
  'sharedaccesskey',
  'access_key',
  'privatekey',
  'private_key',
  'auth',
  'credential',
];

// Field names repeat from body to body (`name`, `email`, `token`): their verdicts are remembered, boundedly.
const NAME_VERDICTS = new Map<string, boolean>();
const MAX_NAME_VERDICTS = 4_096;

/** Whether a field or variable name says it holds a secret (`api_key`, `clientSecret`, `X-Auth-Token`). */
export function secretName(name: string): boolean {
  const known = NAME_VERDICTS.get(name);
  if (known !== undefined) return known;
  const lower = name.toLowerCase().replace(/-/g, '_');
  const verdict = SECRET_NAMES.some((k) => lower.includes(k));
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
  if (value.length < 16) return false;
  let letters = false;
  let digits = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) digits = true;
    else if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) letters = true;
  }
  return letters && digits && entropy(value) >= minEntropy;
}

/**
 * `api_key=…`, `"client_secret": "…"`, `X-Auth-Token: …` style assignments whose value looks
 * generated (entropy at least `minEntropy` bits per character): only the value is matched.
 */
export function assignmentDetector(minEntropy: number): (text: string, out: Match[]) => void {
  return (text, out) => {
    const n = text.length;
    let nextEq = text.indexOf('=');
    let nextColon = text.indexOf(':');
    for (let i = 0; i < n; i++) {
      // Jump from one = or : to the next (indexOf is far faster than a loop over every character).
      if (nextEq !== -1 && nextEq < i) nextEq = text.indexOf('=', i);
      if (nextColon !== -1 && nextColon < i) nextColon = text.indexOf(':', i);
      if (nextEq === -1 && nextColon === -1) return;
      i = nextEq === -1 ? nextColon : nextColon === -1 ? nextEq : Math.min(nextEq, nextColon);
      // The name before the = or :, past a closing quote and spaces.
      let k = i;
      while (k > 0 && i - k < 3 && (text.charCodeAt(k - 1) === 32 || text.charCodeAt(k - 1) === 34 || text.charCodeAt(k - 1) === 39)) k--;
      let ks = k;
      while (ks > 0 && k - ks < 40 && (wordChar(text.charCodeAt(ks - 1)) || text.charCodeAt(ks - 1) === 45)) ks--;
      // The shortest secret-like name is three letters (pwd).
      if (k - ks < 3 || !secretName(text.slice(ks, k))) continue;
      let v = i + 1;
      while (v < n && v - i < 4 && (text.charCodeAt(v) === 32 || text.charCodeAt(v) === 34 || text.charCodeAt(v) === 39)) v++;
      let ve = v;
      while (ve < n && ve - v < 512 && isValueChar(text.charCodeAt(ve))) ve++;
      if (looksGenerated(text.slice(v, ve), minEntropy)) out.push({ kind: 'api_key', start: v, end: ve });
      // No assignment starts inside a value just read (keeps `token=token=token…` linear).
      if (ve > i + 1) i = ve - 1;
    }
  };
}
