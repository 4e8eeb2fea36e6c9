/**
 * Whether a text is written in a language the rules have no words for. The rules' lexicons (injection/lexicon.ts)
 * read some thirty languages; in any other their silence says nothing, and only the learned tier reads the text. The
 * combination weighs the model's reading alone more there (measured: authors writing in fifty such languages,
 * 54–77 % caught where the model alone read 85–94 %). The language is told by franc's trigram profiles; a text franc
 * cannot place counts as unread when most of its letters are in scripts no lexicon has.
 */
import { francAll } from 'franc';
import { OVERRIDE } from './lexicon.js';
import { OVERRIDE_REGIONAL } from './lexicon-override-regional.js';

// franc's ISO 639-3 codes for the lexicons' ISO 639-1 keys (a test holds the two lists together).
const ISO3: Readonly<Record<string, string>> = {
  en: 'eng',
  de: 'deu',
  fr: 'fra',
  es: 'spa',
  it: 'ita',
  pt: 'por',
  nl: 'nld',
  pl: 'pol',
  tr: 'tur',
  id: 'ind',
  vi: 'vie',
  ru: 'rus',
  uk: 'ukr',
  zh: 'cmn',
  ja: 'jpn',
  ko: 'kor',
  ar: 'arb',
  hi: 'hin',
  fa: 'pes',
  sv: 'swe',
  da: 'dan',
  fi: 'fin',
  cs: 'ces',
  ro: 'ron',
  hu: 'hun',
  el: 'ell',
  bn: 'ben',
  ur: 'urd',
  th: 'tha',
  sw: 'swh',
  tl: 'tgl',
  he: 'heb',
};

/**
 * Lexicon languages the rules still read thinly: in each, the rules block fewer than half of the tune corpora's
 * injections (15–48 %, 28 Nov 2026, against 54–81 % in the others), so their silence there says little more than in a
 * language they have no words for. Measured again when a lexicon grows (scripts/injection-oof.mjs's items, by language).
 */
export const THINLY_READ: ReadonlySet<string> = new Set(['ur', 'bn', 'hu', 'fi', 'cs', 'tl', 'da', 'sw', 'ro', 'el']);

/**
 * The lexicons' languages, as franc names them, less the thinly read. The regional override words
 * (lexicon-override-regional.ts) do not make a language read: they cover one class of order, and where they are silent
 * the rules' silence still says nothing.
 */
export const READ_LANGUAGES: ReadonlySet<string> = new Set(
  Object.keys(OVERRIDE)
    .filter((k) => !(k in OVERRIDE_REGIONAL) && !THINLY_READ.has(k))
    .map((k) => ISO3[k] ?? k),
);

// franc reads this much of a text: a language shows in its first sentences, and the cost stays bounded (~0.5 ms).
const SAMPLE = 1000;
// A read language within this share of franc's best guess counts: close languages (Russian and Bulgarian, English and
// Scots) trade places on short texts, and a text the rules may read is not called unread.
const CLOSE = 0.9;
// Scripts some lexicon has words in.
const READ_SCRIPT =
  /[\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Greek}\p{Script=Thai}\p{Script=Devanagari}\p{Script=Bengali}]/gu;
const LETTER = /\p{L}/gu;

/** The model's score below which the question is not asked: no block is near, so the answer would change nothing. */
export const UNREAD_FROM = 0.3;

/** The languages franc reads a text as (ISO 639-3; its best guess and those within CLOSE of it), or null when it cannot tell. */
export function closeLanguages(text: string): string[] | null {
  const guesses = francAll(text.length > SAMPLE ? text.slice(0, SAMPLE) : text, { minLength: 10 });
  if (guesses[0]?.[0] === 'und') return null;
  return guesses.filter(([, share]) => share >= CLOSE).map(([code]) => code);
}

/**
 * How far the rules read a text's language: `unread`, no lexicon has it; `foreign`, a lexicon other than English's
 * has it (the rules' words there are fewer than in English: their silence says less); `read`, English, or a text
 * too short to place written in a script some lexicon has.
 */
export type LanguageReach = 'unread' | 'foreign' | 'read';

/** How far the rules read the language of `text` (franc's close guesses; by script where franc cannot tell). */
export function languageReach(text: string): LanguageReach {
  const close = closeLanguages(text);
  if (close === null) {
    const sample = text.length > SAMPLE ? text.slice(0, SAMPLE) : text;
    const letters = sample.match(LETTER)?.length ?? 0;
    return letters > 0 && (sample.match(READ_SCRIPT)?.length ?? 0) < letters / 2 ? 'unread' : 'read';
  }
  if (!close.some((code) => READ_LANGUAGES.has(code))) return 'unread';
  return close.includes('eng') ? 'read' : 'foreign';
}

/**
 * languageReach where it can matter: no rule fired and the model reads the text as at least UNREAD_FROM (else
 * `read`, which changes nothing).
 */
export function reachWhereItMatters(text: string, rules: readonly string[], score: number): LanguageReach {
  return rules.length === 0 && score >= UNREAD_FROM ? languageReach(text) : 'read';
}
