/**
 * The learned tier of the injection engine: a logistic regression over hashed features of the
 * folded text (word unigrams and bigrams, character n-grams within words, a few structural
 * signals), trained offline by scripts/train-injection-model.mjs from the tune corpora. Rules
 * memorise phrasings; character n-grams of folded words carry over to inflections, synonyms
 * sharing a stem and languages the rules were never written for.
 *
 * Cost is linear and bounded per body: a body is cut into sentence-aligned chunks, each chunk's
 * features are hashed once (no regex that can backtrack), and at most MAX_CHUNKS chunks are read.
 */
import { isInvisible, normalizedView } from '../normalize-text.js';
import { buildConceptTables, CONCEPT_CLASSES, classesOf, joinHash, MAX_PHRASE_WORDS, SECOND_PERSON_BIT, STEM_FROM } from './concepts.js';
import { deleet, despace, foldText } from './fold.js';
import { INJECTION_MODEL } from './model-weights.js';
import type { ShippedWeights } from './model-format.js';

/** The version of the features below: weights trained on another version are refused. */
export const FEATURE_SPEC = 3;
/** Buckets of the feature hash: 2^20, so that words never seen in training rarely share a trained bucket. */
export const HASH_BITS = 20;

// A chunk is about a sentence or two, as long as the corpus items the model was trained on:
// a longer one would dilute an injected sentence among benign ones.
const CHUNK = 200;
// Per body: past 512 chunks (~100 KB) a body is read at its head and tail only, where injected
// text sits in practice (appended to a document, or leading a tool result).
const MAX_CHUNKS = 512;
const MAX_CHARS = MAX_CHUNKS * CHUNK;
// Words longer than this are ids, hashes or base64, not language: they get one feature, not n-grams.
const MAX_WORD = 48;
// A run of CJK characters has no spaces: it is read in short n-grams, to a bounded length.
const MAX_CJK_RUN = 256;

// Seeds that keep the kinds of features apart in the one hash space.
const SEED_WORD = 0x811c9dc5;
const SEED_GRAM = 0x01000193;
const SEED_CJK = 0x2545f491;
const SEED_FLAG = 0x3c6ef372;

// Multiplicative hashing: the top bits of one product spread FNV's weak low bits.
function mix(h: number): number {
  return Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> (32 - HASH_BITS);
}

function step(h: number, c: number): number {
  return Math.imul(h ^ c, 0x01000193);
}

/** The bucket of a named structural signal. */
function flag(name: string): number {
  let h = SEED_FLAG;
  for (let i = 0; i < name.length; i++) h = step(h, name.charCodeAt(i));
  return mix(h);
}

const FLAGS = {
  invisible: flag('invisible'),
  tags: flag('tags'),
  leet: flag('leet'),
  spaced: flag('spaced'),
  urlQuery: flag('url_query'),
  url: flag('url'),
  fence: flag('fence'),
  comment: flag('html_comment'),
  markup: flag('markup'),
  template: flag('chat_template'),
  image: flag('md_image'),
  shout: flag('shout'),
  path: flag('path'),
  longToken: flag('long_token'),
  you: flag('second_person'),
  youFirst: flag('second_person_lead'),
  colonLead: flag('colon_lead'),
  bang: flag('bang'),
  bias: flag('always'),
};

function isWordChar(c: number): boolean {
  if (c < 0x80) return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90);
  // Everything past ASCII but punctuation, spaces and symbols: letters and marks of every script.
  return !(
    (c >= 0x2000 && c <= 0x206f) ||
    (c >= 0x3000 && c <= 0x303f) ||
    (c >= 0xff00 && c <= 0xff0f) ||
    (c >= 0xff1a && c <= 0xff20) ||
    (c >= 0xff3b && c <= 0xff40) ||
    (c >= 0xff5b && c <= 0xff65) ||
    c === 0xa0 ||
    (c >= 0xa1 && c <= 0xbf && c !== 0xaa && c !== 0xb5 && c !== 0xba) ||
    c === 0xd7 ||
    c === 0xf7 ||
    c === 0x60c ||
    c === 0x61b ||
    c === 0x61f ||
    c === 0x6d4 ||
    c === 0x964 ||
    c === 0x965 ||
    (c >= 0x2190 && c <= 0x2bff) ||
    (c >= 0xd800 && c <= 0xdfff)
  );
}

function isCjk(c: number): boolean {
  return (c >= 0x2e80 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7af) || (c >= 0xf900 && c <= 0xfaff);
}

// Thai, Lao, Myanmar and Khmer write without spaces between words too: a sentence would otherwise be
// one word past MAX_WORD, read as an id.
function isUnspaced(c: number): boolean {
  return isCjk(c) || (c >= 0x0e00 && c <= 0x0eff) || (c >= 0x1000 && c <= 0x109f) || (c >= 0x1780 && c <= 0x17ff);
}

// The script a word is written in, one bit each: the model learns a bias per script, so a language
// with little training text is not judged by the balance of another's.
const SCRIPTS: readonly (readonly [number, number])[] = [
  [0x0370, 0x03ff], // Greek
  [0x0400, 0x052f], // Cyrillic
  [0x0590, 0x05ff], // Hebrew
  [0x0600, 0x08ff], // Arabic, Persian, Urdu
  [0x0900, 0x0dff], // Indic
  [0x0e00, 0x0eff], // Thai, Lao
  [0x1000, 0x17ff], // Myanmar, Georgian, Hangul Jamo, Ethiopic, Khmer
  [0x3040, 0x30ff], // Kana
  [0x3400, 0x9fff], // Han
  [0xac00, 0xd7af], // Hangul
];
const SCRIPT_FLAGS = ['latin', ...SCRIPTS.map((_, i) => `script${i}`)].map((name) => flag(name));

/** The bit of a word's script by its first character (Latin: 1; none for digits and symbols). */
function scriptBit(c: number): number {
  if (c < 0x250) return (c >= 97 && c <= 122) || c >= 0xc0 ? 1 : 0;
  for (let i = 0; i < SCRIPTS.length; i++) if (c >= SCRIPTS[i]![0] && c <= SCRIPTS[i]![1]) return 2 << i;
  return 0;
}

// Second-person words in the corpus languages, folded: text addressed to the reader (the model).
const SECOND_PERSON_WORDS = [
  'you',
  'your',
  'yours',
  'yourself',
  'du',
  'dich',
  'dir',
  'dein',
  'deine',
  'ihr',
  'sie',
  'vous',
  'votre',
  'vos',
  'tu',
  'ton',
  'ta',
  'tes',
  'usted',
  'tus',
  'voce',
  'jij',
  'je',
  'jouw',
  'uw',
  'ty',
  'twoje',
  'sen',
  'ты',
  'вы',
  'твои',
  'ваши',
  'твой',
  'ваш',
];

/** The hash a word gets in `words` (before mixing). */
function wordHash(word: string): number {
  let h = SEED_WORD;
  for (let i = 0; i < word.length; i++) h = step(h, word.charCodeAt(i));
  return h;
}
// By hash, so reading a word allocates no string.
const SECOND_PERSON = new Set(SECOND_PERSON_WORDS.map(wordHash));

/** The reader's words of a folded text, hashed (null if it holds a script read without spaces). */
function wordHashes(folded: string): number[] | null {
  const out: number[] = [];
  for (let i = 0; i < folded.length; ) {
    const c = folded.charCodeAt(i);
    if (!isWordChar(c)) {
      i++;
      continue;
    }
    if (isUnspaced(c)) return null;
    let h = SEED_WORD;
    for (; i < folded.length && isWordChar(folded.charCodeAt(i)); i++) h = step(h, folded.charCodeAt(i));
    out.push(h);
  }
  return out;
}

const CONCEPTS = buildConceptTables((t) => foldText(t, true), wordHashes);
const CONCEPT_BITS = [...CONCEPT_CLASSES.keys(), 30];
const CONCEPT_FLAGS = CONCEPT_BITS.map((b) => flag(`concept${b}`));
// Two classes meeting in one chunk: the pair is the feature that carries across languages.
const CONCEPT_PAIR_FLAGS = CONCEPT_BITS.map((a) => CONCEPT_BITS.map((b) => flag(`concept${a}+${b}`)));
// The classes met in the chunk being read (chunkFeatures is synchronous: one chunk at a time).
let conceptMask = 0;

function emitConcepts(emit: (bucket: number) => void): void {
  const mask = conceptMask;
  if (mask === 0) return;
  for (let i = 0; i < CONCEPT_BITS.length; i++) {
    if (!(mask & (1 << CONCEPT_BITS[i]!))) continue;
    emit(CONCEPT_FLAGS[i]!);
    for (let j = i + 1; j < CONCEPT_BITS.length; j++) if (mask & (1 << CONCEPT_BITS[j]!)) emit(CONCEPT_PAIR_FLAGS[i]![j]!);
  }
}

/**
 * Calls `emit` with the bucket of every feature of one chunk of raw text (a bucket may come more
 * than once: the model reads counts). The training script calls this very function.
 */
export function chunkFeatures(raw: string, emit: (bucket: number) => void): void {
  emit(FLAGS.bias);
  let spelled = '';
  let invisible = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 0xdb40) {
      const d = raw.charCodeAt(i + 1);
      if (d >= 0xdc20 && d <= 0xdc7e) spelled += String.fromCharCode(d - 0xdc00);
    } else if (c >= 0x80 && isInvisible(c)) invisible++;
  }
  if (invisible >= 2) emit(FLAGS.invisible);
  if (spelled.length > 0) emit(FLAGS.tags);
  structural(raw, emit);
  const folded = foldText(normalizedView(spelled.length > 0 ? `${raw}\n${spelled}` : raw), true);
  conceptMask = 0;
  const scripts = words(folded, emit);
  for (let i = 0; i < SCRIPT_FLAGS.length; i++) if (scripts & (1 << i)) emit(SCRIPT_FLAGS[i]!);
  // Disguises read as what they spell: `1gn0r3` and `i g n o r e` give the features of `ignore`.
  const leet = deleet(folded);
  if (leet !== null) {
    emit(FLAGS.leet);
    words(leet, emit);
  }
  const spaced = despace(folded);
  if (spaced !== null) {
    emit(FLAGS.spaced);
    words(spaced, emit);
  }
  emitConcepts(emit);
}

/** Signals of form, from the raw text: links that carry data, fences, markup, chat templates, shouting. */
function structural(raw: string, emit: (bucket: number) => void): void {
  for (let at = raw.indexOf('://'); at >= 0; at = raw.indexOf('://', at + 3)) {
    emit(FLAGS.url);
    let q = false;
    let eq = false;
    for (let i = at + 3; i < raw.length && i < at + 2_000; i++) {
      const c = raw.charCodeAt(i);
      if (c <= 32 || c === 41 || c === 34 || c === 39 || c === 62) break;
      if (c === 63) q = true;
      else if (c === 61 && q) eq = true;
    }
    if (eq) emit(FLAGS.urlQuery);
  }
  if (raw.includes('```')) emit(FLAGS.fence);
  if (raw.includes('<!--')) emit(FLAGS.comment);
  if (raw.includes('![')) emit(FLAGS.image);
  if (raw.includes('<|') || raw.includes('[INST]') || raw.includes('[/INST]') || raw.includes('###') || raw.includes('<<SYS>>')) emit(FLAGS.template);
  if (raw.includes('~/') || raw.includes('/etc/') || raw.includes('.env') || raw.includes('.ssh')) emit(FLAGS.path);
  if (raw.includes('!!')) emit(FLAGS.bang);
  // Markup tags (`<important>`, `<system>`) and bracketed roles (`[system]`).
  for (let at = raw.indexOf('<'); at >= 0 && at < raw.length - 1; at = raw.indexOf('<', at + 1)) {
    const c = raw.charCodeAt(at + 1) | 0x20;
    if (c >= 97 && c <= 122) {
      emit(FLAGS.markup);
      break;
    }
  }
  // Words of four capitals or more: `IMPORTANT`, `SYSTEM`, `URGENT`.
  let run = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c >= 65 && c <= 90) run++;
    else {
      if (run >= 4 && !((c >= 97 && c <= 122) || (c >= 48 && c <= 57))) {
        emit(FLAGS.shout);
        return;
      }
      run = 0;
    }
  }
  if (run >= 4) emit(FLAGS.shout);
}

/** Word unigrams, bigrams and character n-grams of a folded text; returns the bits of the scripts its words are in. */
function words(folded: string, emit: (bucket: number) => void): number {
  let scripts = 0;
  let prev = 0;
  let first = true;
  // The hashes of the words before this one, for phrases of up to MAX_PHRASE_WORDS words.
  let back1 = 0;
  let back2 = 0;
  let back3 = 0;
  const n = folded.length;
  for (let i = 0; i < n; ) {
    let c = folded.charCodeAt(i);
    if (!isWordChar(c)) {
      // A word before a colon: `Note:`, `SYSTEM:`, `Assistant:` announce who speaks.
      if (c === 58 && !first && prev !== 0) emit(mix(prev ^ 0x5bd1e995));
      i++;
      continue;
    }
    const start = i;
    let h = SEED_WORD;
    for (; i < n; i++) {
      c = folded.charCodeAt(i);
      if (!isWordChar(c)) break;
      h = step(h, c);
      if (i - start + 1 >= STEM_FROM) conceptMask |= classesOf(CONCEPTS.stems, CONCEPTS.stemFilter, h);
    }
    const len = i - start;
    scripts |= scriptBit(folded.charCodeAt(start));
    if (isUnspaced(folded.charCodeAt(start))) {
      cjkGrams(folded, start, Math.min(i, start + MAX_CJK_RUN), emit);
      prev = 0;
      back1 = back2 = back3 = 0;
      first = false;
      continue;
    }
    if (len > MAX_WORD) {
      emit(FLAGS.longToken);
      prev = 0;
      back1 = back2 = back3 = 0;
      continue;
    }
    emit(mix(h));
    if (prev !== 0) emit(mix(Math.imul(prev, 0x9e3779b1) ^ h ^ 0x27d4eb2f));
    if (len <= 8 && SECOND_PERSON.has(h)) {
      emit(first ? FLAGS.youFirst : FLAGS.you);
      conceptMask |= SECOND_PERSON_BIT;
    }
    conceptMask |= classesOf(CONCEPTS.phrases, CONCEPTS.phraseFilter, h);
    if (back1 !== 0) {
      const two = joinHash(back1, h);
      conceptMask |= classesOf(CONCEPTS.phrases, CONCEPTS.phraseFilter, two);
      if (back2 !== 0) {
        const three = joinHash(joinHash(back2, back1), h);
        conceptMask |= classesOf(CONCEPTS.phrases, CONCEPTS.phraseFilter, three);
        if (back3 !== 0 && MAX_PHRASE_WORDS >= 4)
          conceptMask |= classesOf(CONCEPTS.phrases, CONCEPTS.phraseFilter, joinHash(joinHash(joinHash(back3, back2), back1), h));
      }
    }
    back3 = back2;
    back2 = back1;
    back1 = h;
    prev = h;
    first = false;
    grams(folded, start, i, emit);
  }
  return scripts;
}

/** Character 3- to 5-grams of a word, with its boundaries as characters (`<ig`, `ore>`). */
function grams(s: string, start: number, end: number, emit: (bucket: number) => void): void {
  // Positions start-1 and end stand for the boundaries (codes 1 and 2).
  for (let p = start - 1; p <= end - 2; p++) {
    let h = SEED_GRAM;
    for (let k = 0; k < 5 && p + k <= end; k++) {
      const q = p + k;
      h = step(h, q < start ? 1 : q === end ? 2 : s.charCodeAt(q));
      if (k >= 2) emit(mix(h ^ k));
    }
  }
}

/** Character 1- to 3-grams of a run without spaces (CJK, Thai…): its words are one to three characters long, or read as such. */
function cjkGrams(s: string, start: number, end: number, emit: (bucket: number) => void): void {
  for (let p = start; p < end; p++) {
    let h = SEED_CJK;
    for (let k = 0; k < 3 && p + k < end; k++) {
      h = step(h, s.charCodeAt(p + k));
      emit(mix(h ^ k));
    }
  }
}

/** Whether a character ends a sentence (followed by a space, for Latin punctuation). */
function sentenceEnd(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if (c === 10 || c === 0x3002 || c === 0xff01 || c === 0xff1f) return true;
  if (c === 46 || c === 33 || c === 63) {
    const d = s.charCodeAt(i + 1);
    return Number.isNaN(d) || d === 32 || d === 10 || d === 9 || d === 13;
  }
  return false;
}

/**
 * Cuts a text into chunks of at most CHUNK characters, at sentence ends where it can, else at a
 * space, else anywhere but inside a surrogate pair; calls `each` until it returns false.
 */
export function chunks(text: string, each: (chunk: string) => boolean): void {
  let start = 0;
  let sentence = -1;
  let space = -1;
  for (let i = 0; i < text.length; i++) {
    if (i - start >= CHUNK) {
      let cut = sentence > start ? sentence : space > start + CHUNK / 2 ? space : i;
      if (cut === i && (text.charCodeAt(i) & 0xfc00) === 0xdc00) cut--;
      if (!each(text.slice(start, cut))) return;
      start = cut;
      sentence = -1;
      space = -1;
    }
    if (sentenceEnd(text, i)) sentence = i + 1;
    else if (text.charCodeAt(i) === 32) space = i + 1;
  }
  if (start < text.length) each(text.slice(start));
}

/** Distinct words a chunk needs to read as language (readsAsLanguage). */
const LANGUAGE_WORDS = 5;
// And the share of its words that are distinct: a list repeats its few (`Alice Smith <alice@corp.example>` a line).
// Chosen on the tune corpora and a probe of API data (lists of users, addresses, URLs, CSV, tables): 0.5 let a list of
// names and addresses through; 0.6 costs 4 of the tune files' 12,284 injections, none of the holdout's.
const LANGUAGE_VARIETY = 0.6;

/**
 * Whether a text reads as language: at least LANGUAGE_WORDS distinct words of letters (two or more, no digit, no tag
 * name; counted case-blind), most of its words distinct (LANGUAGE_VARIETY) — or, in a script written without spaces,
 * LANGUAGE_WORDS distinct characters. Lists of numbers, addresses, URLs, table cells and markup fail: the model was
 * trained on sentences, and its reading of such a chunk is noise (a list of e-mail addresses or an HTML table read 0.99).
 */
export function readsAsLanguage(text: string): boolean {
  const seen = new Set<number>();
  const unspaced = new Set<number>();
  let total = 0;
  for (let i = 0; i < text.length; ) {
    let c = text.charCodeAt(i);
    if (!isWordChar(c)) {
      i++;
      continue;
    }
    if (isUnspaced(c)) {
      unspaced.add(c);
      if (unspaced.size >= LANGUAGE_WORDS) return true;
      i++;
      continue;
    }
    const start = i;
    // A tag's name (`<td>`, `</div>`) is markup, not a word.
    const tag = text.charCodeAt(i - 1) === 60 || (text.charCodeAt(i - 1) === 47 && text.charCodeAt(i - 2) === 60);
    let h = SEED_WORD;
    let digit = false;
    for (; i < text.length; i++) {
      c = text.charCodeAt(i);
      if (!isWordChar(c) || isUnspaced(c)) break;
      if (c >= 48 && c <= 57) digit = true;
      h = step(h, c >= 65 && c <= 90 ? c | 0x20 : c);
    }
    if (digit || tag || i - start < 2) continue;
    seen.add(h);
    total++;
  }
  return seen.size >= LANGUAGE_WORDS && seen.size >= LANGUAGE_VARIETY * total;
}

// A word in leetspeak has a leet digit before a letter (`1gn0r3`, `y0ur`, `4ll`); an id ends in its number (`user0`, `c12`).
const WORD_WITH_DIGIT = /[\p{L}\p{N}]*\p{N}[\p{L}\p{N}]*/gu;
const LEET_SHAPED = /[013457]\p{L}/u;
// Letters standing alone, one after another (`I G N O R E`, `p.l.e.a.s.e`, `V‑e‑r‑s‑c‑h`): a word spelled out.
const SPELLED = /(?:(?<![\p{L}\p{N}])\p{L}(?![\p{L}\p{N}])[^\p{L}\p{N}]{1,8}){8}/u;

/**
 * readsAsLanguage of a chunk as the model reads it: as written, else folded (look-alike and styled letters), its
 * leetspeak read as letters (words with digits that are not leet-shaped left out: read so, ids become words), or a
 * chunk of letters spelled out one by one.
 */
function chunkReadsAsLanguage(chunk: string): boolean {
  if (readsAsLanguage(chunk)) return true;
  // Asked of every chunk of a list the model reads high: each other view only where it can differ.
  const folded = PLAIN.test(chunk) ? chunk : foldText(normalizedView(chunk), true);
  if (folded !== chunk && readsAsLanguage(folded)) return true;
  if (LEET_SHAPED.test(folded)) {
    const leet = deleet(folded.replace(WORD_WITH_DIGIT, (w) => (LEET_SHAPED.test(w) ? w : ' ')));
    if (leet !== null && readsAsLanguage(leet)) return true;
  }
  return SPELLED.test(folded);
}
// Printable ASCII without an entity's or a percent-escape's lead: folding changes nothing a word count sees.
const PLAIN = /^[\t\n\r -$'-~]*$/;

/** The most chunks one body is read in. */
export const MAX_MODEL_CHUNKS = MAX_CHUNKS;

/** What scoring a body examined: its probability, and how many chunks and characters it read. */
export interface ModelReading {
  score: number;
  /** The probability of the single most injection-like chunk (or pair), before the correction for the number read. */
  peak: number;
  /** The score over the chunks that read as language (readsAsLanguage) alone, with the same correction: what the model says of the text's sentences, not of its data. */
  language: number;
  /** `language` where it reaches `floor`, else 0: readings scoring under the floor are not asked whether they read as language. */
  languageAtLeast(floor: number): number;
  chunks: number;
  chars: number;
}

/** The learned tier: `score(text)` is the probability that the text carries an injection. */
export interface InjectionModel {
  score(text: string): number;
  /** The score with what it cost (chunks and characters read), for tests and benchmarks. */
  read(text: string): ModelReading;
}

/** The best score, at least `least`, among readings that read as language (chunkReadsAsLanguage), tried from the best down; -Infinity when none does. */
function bestReadingAsLanguage(
  scores: readonly number[],
  firsts: readonly string[],
  seconds: ReadonlyArray<string | null>,
  least = Number.NEGATIVE_INFINITY,
): number {
  const order: number[] = [];
  for (let k = 0; k < scores.length; k++) if (scores[k]! > Number.NEGATIVE_INFINITY && scores[k]! >= least) order.push(k);
  order.sort((a, b) => scores[b]! - scores[a]!);
  for (const k of order) {
    const second = seconds[k];
    if (chunkReadsAsLanguage(second === null ? firsts[k]! : `${firsts[k]} ${second}`)) return scores[k]!;
  }
  return Number.NEGATIVE_INFINITY;
}

/** Unpacks shipped weights into one dense array of 2^HASH_BITS int8 values (1 MiB; times `scale` they are the weights). */
export function unpackWeights(shipped: ShippedWeights): Int8Array {
  if (shipped.spec !== FEATURE_SPEC || shipped.bits !== HASH_BITS)
    throw new Error(`injection model: weights are for feature spec ${shipped.spec}/${shipped.bits} bits, this engine reads ${FEATURE_SPEC}/${HASH_BITS}`);
  const w = new Int8Array(1 << HASH_BITS);
  const index = Buffer.from(shipped.index, 'base64');
  const values = Buffer.from(shipped.values, 'base64');
  let bucket = 0;
  let at = 0;
  for (let k = 0; k < values.length; k++) {
    let delta = 0;
    let shift = 0;
    let b: number;
    do {
      b = index[at++]!;
      delta |= (b & 0x7f) << shift;
      shift += 7;
    } while (b & 0x80);
    bucket += delta;
    w[bucket] = (values[k]! << 24) >> 24;
  }
  return w;
}

let shared: Int8Array | null = null;

/** Creates the learned scorer over the shipped weights (unpacked once per process). */
export function createInjectionModel(shipped: ShippedWeights = INJECTION_MODEL): InjectionModel {
  if (shipped === INJECTION_MODEL && shared === null) shared = unpackWeights(shipped);
  const w = shipped === INJECTION_MODEL && shared !== null ? shared : unpackWeights(shipped);
  const bias = shipped.bias;
  const scale = shipped.scale;
  const read = (text: string): ModelReading => {
    let best = Number.NEGATIVE_INFINITY;
    let read = 0;
    let limit = MAX_CHUNKS;
    let chars = 0;
    // Each chunk is scored alone and with the one before it, so a sentence cut in two is read whole.
    let prevSum = 0;
    let prevN = 0;
    let prevChunk = '';
    let sum = 0;
    let n = 0;
    // Every reading (a chunk, or a pair: its chunk before and itself) with its score, for the language score: whether a
    // reading reads as language is asked only when that score is asked for, from the best reading down.
    const scores: number[] = [];
    const firsts: string[] = [];
    const seconds: Array<string | null> = [];
    const emit = (b: number) => {
      sum += w[b]!;
      n++;
    };
    const each = (chunk: string): boolean => {
      sum = 0;
      n = 0;
      chunkFeatures(chunk, emit);
      read++;
      chars += chunk.length;
      const alone = (scale * sum) / Math.sqrt(n);
      best = Math.max(best, alone);
      scores.push(alone);
      firsts.push(chunk);
      seconds.push(null);
      if (prevN > 0) {
        const pair = (scale * (sum + prevSum)) / Math.sqrt(n + prevN);
        best = Math.max(best, pair);
        scores.push(pair);
        firsts.push(prevChunk);
        seconds.push(chunk);
      }
      prevSum = sum;
      prevN = n;
      prevChunk = chunk;
      return read < limit;
    };
    if (text.length <= MAX_CHARS) chunks(text, each);
    else {
      // Three quarters of the budget for the head, the rest for the tail, whatever the chunks' lengths.
      const head = (MAX_CHARS * 3) / 4;
      limit = (MAX_CHUNKS * 3) / 4;
      chunks(text.slice(0, head), each);
      prevN = 0;
      limit = read + MAX_CHUNKS / 4;
      chunks(text.slice(text.length - (MAX_CHARS - head)), each);
    }
    if (read === 0) return { score: 0, peak: 0, language: 0, languageAtLeast: () => 0, chunks: 0, chars: 0 };
    // The best of n chunks is the best of n tries: its odds are divided by n (Bonferroni), or a long
    // benign document would be blocked by whichever chunk happened to score highest. A text of one
    // chunk, like every training item, keeps its score. The price: in a long body only a blatant
    // injection clears the correction (the rules still read every body in full).
    const tries = Math.log(read);
    const corrected = (raw: number) => 1 / (1 + Math.exp(-(bias + raw - tries)));
    let language: number | undefined;
    return {
      score: corrected(best),
      peak: 1 / (1 + Math.exp(-(bias + best))),
      // Asked only where the combination needs it (a text of data reads as no language in every chunk, each asked in turn).
      get language(): number {
        language ??= corrected(bestReadingAsLanguage(scores, firsts, seconds));
        return language;
      },
      languageAtLeast(floor: number): number {
        if (language !== undefined) return language >= floor ? language : 0;
        // The least raw score whose corrected one reaches the floor, found among the readings themselves (no inverse to round).
        let least = Number.POSITIVE_INFINITY;
        for (const s of scores) if (s < least && corrected(s) >= floor) least = s;
        if (least === Number.POSITIVE_INFINITY) return 0;
        const found = corrected(bestReadingAsLanguage(scores, firsts, seconds, least));
        return found >= floor ? found : 0;
      },
      chunks: read,
      chars,
    };
  };
  return { score: (text) => read(text).score, read };
}
