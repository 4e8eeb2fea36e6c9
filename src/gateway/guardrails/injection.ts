import { walkJson } from './walk.js';

/**
 * Scores text for instructions injected into what a model will read (tool results, resource
 * contents, arguments, descriptions). Every rule is a literal trigger found by one linear regex
 * pass (alternations of literals, no quantified groups) followed by a bounded look at the words
 * right after it, so the cost is linear in the text whatever it holds.
 */

/** A rule that matched and how often. */
export interface InjectionHit {
  rule: string;
  count: number;
}

/** A scored text: 0 (nothing suspicious) to 1, and the rules behind it. */
export interface InjectionScore {
  score: number;
  hits: InjectionHit[];
}

/** What an injection scan is told: hosts that markdown images and links may point at. */
export interface InjectionOptions {
  /** Host names (exact, or `*.example.com` for subdomains) links and images may point to. */
  allowHosts?: readonly string[];
}

/** How much each rule weighs; the score is 1 − Π(1 − weight) over the rules that matched. */
export const RULE_WEIGHTS: Readonly<Record<string, number>> = {
  instruction_override: 0.8,
  role_hijack: 0.6,
  chat_template: 0.7,
  unicode_tags: 0.9,
  zero_width: 0.4,
  markdown_image_exfiltration: 0.8,
  markdown_link_exfiltration: 0.5,
  tool_invocation: 0.5,
  secret_request: 0.6,
  data_exfiltration: 0.6,
};

// Each rule is one regex over the lower-cased text: alternations of literals joined by bounded
// runs of whitespace (\s{1,4}). Whitespace and the letters every literal starts with are disjoint,
// so there is only one way to match any input and no position is tried more than a few dozen
// steps. Counting stops at MAX_HITS a rule: past that the score cannot change.
const MAX_HITS = 1_000;

const QUALIFIER = '(?:all|any|the|your|of|previous|prior|above|earlier|preceding|system|original|those|these|every|initial|developer|my|its|safety)';
const RULES: ReadonlyArray<readonly [string, RegExp]> = [
  [
    'instruction_override',
    new RegExp(
      `\\b(?:ignore|disregard|forget|override|bypass|abandon|discard)(?:\\s{1,4}${QUALIFIER}){1,3}\\s{1,4}(?:instructions?|rules|guidelines|directions|prompts?|directives|constraints|guardrails|policies|programming|context)\\b`,
      'g',
    ),
  ],
  [
    'role_hijack',
    /\b(?:you\s{1,4}are\s{1,4}now|from\s{1,4}now\s{1,4}on,?\s{1,4}you|pretend\s{1,4}to\s{1,4}be|pretend\s{1,4}you\s{1,4}are|roleplay\s{1,4}as|developer\s{1,4}mode|jailbreak|do\s{1,4}anything\s{1,4}now|you\s{1,4}must\s{1,4}now|new\s{1,4}persona)\b/g,
  ],
  [
    'chat_template',
    /<\|im_start\|>|<\|system\|>|<\|endoftext\|>|\[system\]|\[inst\]|<<sys>>|<\/?system>|###\s{1,4}(?:system|instruction)|^system:|\bnew\s{1,4}system\s{1,4}prompt:/g,
  ],
  [
    'tool_invocation',
    /\b(?:call|invoke|use|run|execute|trigger)\s{1,4}(?:the\s{1,4}|this\s{1,4}|that\s{1,4}|a\s{1,4})?(?:[a-z0-9]{1,60}_[a-z0-9_]{1,60}\s{1,4}(?:tool|function)|(?:tool|function)\s{1,4}[a-z0-9]{1,60}_[a-z0-9_]{1,60})\b/g,
  ],
  [
    'secret_request',
    /\b(?:reveal|print|show|output|repeat|leak|disclose|display|dump|expose|tell|give)(?:\s{1,4}(?:me|us|the|all|any|of)){0,3}\s{1,4}(?:system\s{1,4}prompt|api\s{1,4}keys?|secrets?|credentials|private\s{1,4}keys?|environment\s{1,4}variables|access\s{1,4}tokens?|hidden\s{1,4}instructions|initial\s{1,4}prompt|your\s{1,4}(?:instructions|prompt|system\s{1,4}prompt|passwords?|api\s{1,4}keys?|secrets?|credentials|rules))\b/g,
  ],
  [
    'data_exfiltration',
    /\b(?:send|forward|post|upload|email|exfiltrate|transmit|leak)(?:\s{1,4}(?:the|this|all|your|of|entire|full|whole|our)){0,3}\s{1,4}(?:conversation\s{1,4}history|conversation|chat\s{1,4}history|chat|history|data|messages|contents|context|credentials|secrets|files|tokens)\s{1,4}to\s{1,4}(?:https?:\/\/|[a-z0-9._%+-]{1,64}@|this\s{1,4}|the\s{1,4}following\s{1,4}|my\s{1,4})/g,
  ],
];

/** Every rule in one sticky regex (a named group each), tried only where LEAD found a rule's first word. */
const ALL_RULES = new RegExp(RULES.map(([rule, regex]) => `(?<${rule}>${regex.source})`).join('|'), 'y');

/**
 * The first words and marks the rules start with: one pass of this (a word-boundary check, then
 * a short alternation) finds where a rule could match, so ordinary text costs one regex pass.
 */
const LEAD =
  /\b(?:ignore|disregard|forget|override|bypass|abandon|discard|you|from|pretend|roleplay|developer|jailbreak|do|must|new|call|invoke|use|run|execute|trigger|reveal|print|show|output|repeat|leak|disclose|display|dump|expose|tell|give|send|forward|post|upload|email|exfiltrate|transmit|system)\b|<\||\[system\]|\[inst\]|<<sys>>|<\/?system>|###/g;

/** How often each rule matches in a text; at most MAX_HITS a rule. */
function ruleHits(text: string): Map<string, number> {
  const hits = new Map<string, number>();
  let tries = 0;
  LEAD.lastIndex = 0;
  for (let lead = LEAD.exec(text); lead !== null && tries < MAX_HITS * RULES.length; lead = LEAD.exec(text)) {
    tries++;
    // A rule's own leading \b or mark sits where LEAD matched (or one character before, for `### `).
    ALL_RULES.lastIndex = lead.index;
    const m = ALL_RULES.exec(text);
    if (m === null) continue;
    for (const [rule] of RULES) {
      if (m.groups![rule] === undefined) continue;
      const n = hits.get(rule) ?? 0;
      if (n < MAX_HITS) hits.set(rule, n + 1);
      break;
    }
    LEAD.lastIndex = Math.max(LEAD.lastIndex, m.index + m[0].length);
  }
  return hits;
}

const MARKDOWN_TARGET = /\]\(\s{0,3}(https?:\/\/[^\s)]{1,2000})|\bsrc\s{0,3}=\s{0,3}["']?(https?:\/\/[^\s"'>]{1,2000})/g;

/** Invisible format characters (zero-width, bidi controls, BOM); ZWJ (U+200D) is left alone, emoji sequences use it. */
function isInvisible(c: number): boolean {
  return (
    c === 0x200b ||
    c === 0x200c ||
    c === 0x200e ||
    c === 0x200f ||
    (c >= 0x202a && c <= 0x202e) ||
    (c >= 0x2060 && c <= 0x2064) ||
    (c >= 0x2066 && c <= 0x2069) ||
    c === 0xfeff
  );
}

/** Reads invisible characters out in one pass: how many there were, the text without them, and the ASCII that Unicode tag characters (U+E0000–E007F) spell. */
function unhide(raw: string): { text: string; invisible: number; tags: number; spelled: string } {
  let invisible = 0;
  let tags = 0;
  const spelled: number[] = [];
  const kept: string[] = [];
  let from = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 0xdb40) {
      const d = raw.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdc7f) {
        tags++;
        if (spelled.length < 65_536) spelled.push(d - 0xdc00);
        kept.push(raw.slice(from, i));
        from = i + 2;
        i++;
      }
    } else if (isInvisible(c)) {
      invisible++;
      kept.push(raw.slice(from, i));
      from = i + 1;
    }
  }
  if (from === 0) return { text: raw, invisible, tags, spelled: '' };
  kept.push(raw.slice(from));
  let text = '';
  for (const k of kept) text += k;
  let ascii = '';
  for (let i = 0; i < spelled.length; i += 4096) ascii += String.fromCharCode(...spelled.slice(i, i + 4096));
  return { text, invisible, tags, spelled: ascii };
}

function hostAllowed(host: string, allow: readonly string[]): boolean {
  return allow.some((a) => (a.startsWith('*.') ? host.endsWith(a.slice(1)) || host === a.slice(2) : host === a));
}

/** Creates a scorer; the allowlist is fixed per node (compiled once per snapshot). */
export function createInjectionScorer(opts: InjectionOptions = {}): { scoreText(text: string): InjectionScore } {
  const allow = (opts.allowHosts ?? []).map((h) => h.toLowerCase());
  return {
    scoreText(raw: string): InjectionScore {
      const counts = new Map<string, number>();
      const add = (rule: string, n: number) => {
        if (n > 0) counts.set(rule, (counts.get(rule) ?? 0) + n);
      };
      const hidden = unhide(raw);
      add('unicode_tags', hidden.tags);
      if (hidden.invisible >= 2) add('zero_width', hidden.invisible);
      // Hidden tag text is read as the ASCII it spells; invisible characters are dropped, so "ig\u200Bnore" reads as "ignore".
      const text = (hidden.spelled ? `${hidden.text}\n${hidden.spelled}` : hidden.text).toLowerCase();
      for (const [rule, n] of ruleHits(text)) add(rule, n);
      if (text.includes('](') || text.includes('src')) {
        for (const [rule, n] of linkHits(text, allow)) add(rule, n);
      }
      let keep = 1;
      const hits: InjectionHit[] = [];
      for (const [rule, count] of counts) {
        hits.push({ rule, count });
        keep *= 1 - (RULE_WEIGHTS[rule] ?? 0.5);
      }
      return { score: Math.round((1 - keep) * 1000) / 1000, hits };
    },
  };
}

/** Markdown images and links (and `src=` attributes) pointing at hosts off the allowlist, by rule. */
function linkHits(text: string, allow: readonly string[]): Map<string, number> {
  const hits = new Map<string, number>();
  let links = 0;
  MARKDOWN_TARGET.lastIndex = 0;
  for (let m = MARKDOWN_TARGET.exec(text); m !== null && links < MAX_HITS; m = MARKDOWN_TARGET.exec(text)) {
    links++;
    const url = m[1] ?? m[2]!;
    let host: string;
    try {
      host = new URL(url).hostname;
    } catch {
      continue;
    }
    if (hostAllowed(host, allow)) continue;
    const rule =
      m[2] !== undefined || imageBefore(text, m.index)
        ? 'markdown_image_exfiltration'
        : url.includes('?') || url.length > 200
          ? 'markdown_link_exfiltration'
          : null;
    if (rule !== null) hits.set(rule, (hits.get(rule) ?? 0) + 1);
  }
  return hits;
}

/** Whether the `](` at `at` closes an image's alt text (`![alt](…)`): its `[` (within 500 characters) follows a `!`. */
function imageBefore(text: string, at: number): boolean {
  for (let i = at; i > 0 && at - i <= 500; i--) if (text.charCodeAt(i) === 91) return text.charCodeAt(i - 1) === 33;
  return false;
}

/** The score of a body with nothing suspicious in it (shared: never changed). */
export const NO_INJECTION: InjectionScore = { score: 0, hits: [] };

/**
 * Whether any text of a body could score above 0, read from the body's verbatim text (see
 * verbatimText; ASCII, so no invisible characters): a rule's leading word or mark, or a link or
 * `src`. A JSON body's escapes (`\\n`) become spaces, so a word right after one still starts on
 * a word boundary. False means every text of it scores 0.
 */
export function mayInject(verbatim: string, json: boolean): boolean {
  let text = verbatim.toLowerCase();
  if (json && text.includes('\\')) text = text.replace(/\\./g, ' ');
  if (text.includes('](') || text.includes('src')) return true;
  LEAD.lastIndex = 0;
  const found = LEAD.test(text);
  LEAD.lastIndex = 0;
  return found;
}

/** mayInject for a body not known yet to be JSON or text: true when it may as either. */
export function mayInjectAsEither(verbatim: string): boolean {
  return mayInject(verbatim, false) || (verbatim.includes('\\') && mayInject(verbatim, true));
}

/** Scores every text of a value (a string, or a JSON value walked by value) as one text, up to `maxChars` of it. */
export function scoreValue(scorer: { scoreText(text: string): InjectionScore }, value: unknown, maxChars = 4_194_304): InjectionScore {
  if (typeof value === 'string') return scorer.scoreText(value.length > maxChars ? value.slice(0, maxChars) : value);
  const parts: string[] = [];
  let size = 0;
  walkJson(value, (text) => {
    if (size < maxChars) {
      parts.push(text);
      size += text.length + 1;
    }
    return undefined;
  });
  const joined = parts.join('\n');
  return scorer.scoreText(joined.length > maxChars ? joined.slice(0, maxChars) : joined);
}
