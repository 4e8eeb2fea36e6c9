/**
 * The lexicon's word classes as features of the learned tier: a chunk holding an override verb and
 * an instruction noun, a send verb and a secret, in whatever language the lexicon knows them, gets
 * the same class features. The rules need their words in a given order and distance; the model reads
 * which classes meet in a chunk and learns from labelled text (benign near-misses included) which
 * meetings make an injection, so a paraphrase the rules were not written for still carries them.
 */
import {
  ADDRESSED,
  ANSWER_PREFIX,
  BOUNDARY_WORDS,
  CONCEAL_LEADS,
  CONCEAL_TARGETS,
  CONCEAL_WEAK_TARGETS,
  CONCEALMENT,
  CONCEALMENT_HINTS,
  HARMFUL_CODE_MARKS,
  LEAK_OBJECTS,
  META_WORDS,
  NULLIFIED_BY,
  NULLIFIED_NOUNS,
  OVERRIDE,
  OWN_INSTRUCTIONS,
  OWN_INSTRUCTIONS_OBJECT_FIRST,
  PASS_VERBS,
  POST_QUALIFIERS_EN,
  PROMPT_OBJECTS,
  RECAST_VERBS,
  RESTRICTION_REMOVAL,
  REVEAL_VERBS,
  ROLE_CHANGE,
  ROLE_HINTS,
  SECRET_STORES,
  SECRET_WORDS,
  SEND_VERBS,
  SENSITIVE_OBJECTS,
  SENSITIVE_PATHS,
  SITUATION_CHANGED,
  TAKE_VERBS,
  TAKEOVER,
  TELL_NOTHING,
  TOOL_COERCION,
  USER_OVERRIDE,
  WEAK_NOUNS_EN,
} from './lexicon.js';
import { CONCEAL_USER_BY_LANGUAGE } from './lexicon-conceal-user.js';

const langs = Object.values(OVERRIDE);

/** The classes, in bit order (at most 30: bit 30 is the second person, set by the reader). */
export const CONCEPT_CLASSES: readonly (readonly string[])[] = [
  langs.flatMap((l) => l.verbs),
  [...langs.flatMap((l) => l.nouns), ...WEAK_NOUNS_EN],
  [...langs.flatMap((l) => l.quals ?? []), ...POST_QUALIFIERS_EN],
  [...NULLIFIED_NOUNS, ...NULLIFIED_BY],
  [...TAKEOVER, ...USER_OVERRIDE],
  ROLE_HINTS,
  ROLE_CHANGE,
  RESTRICTION_REMOVAL,
  [...CONCEALMENT, ...CONCEALMENT_HINTS, ...TELL_NOTHING, ...CONCEAL_LEADS, ...Object.values(CONCEAL_USER_BY_LANGUAGE).flat()],
  [...CONCEAL_TARGETS, ...CONCEAL_WEAK_TARGETS],
  [...SENSITIVE_OBJECTS, ...LEAK_OBJECTS],
  PASS_VERBS,
  TAKE_VERBS,
  SECRET_STORES,
  SEND_VERBS,
  REVEAL_VERBS,
  ADDRESSED,
  TOOL_COERCION,
  SENSITIVE_PATHS,
  META_WORDS,
  [...PROMPT_OBJECTS, ...OWN_INSTRUCTIONS, ...OWN_INSTRUCTIONS_OBJECT_FIRST],
  SECRET_WORDS,
  RECAST_VERBS,
  BOUNDARY_WORDS,
  ANSWER_PREFIX,
  SITUATION_CHANGED,
  HARMFUL_CODE_MARKS,
];

/** The bit the reader sets for a second-person word beside the lexicon's classes. */
export const SECOND_PERSON_BIT = 1 << 30;

/** The longest phrase (in words) matched; longer entries are read by their first words' class only through the rules. */
export const MAX_PHRASE_WORDS = 4;
/** A one-word entry this long or longer is a stem: it matches every word it begins (`instruc`, `sende`). */
const MIN_STEM = 5;

/** Joins a phrase's word hashes into one key, as the reader does word by word. */
export function joinHash(prefix: number, word: number): number {
  return Math.imul(prefix, 0x9e3779b1) ^ word;
}

export interface ConceptTables {
  /** Whole words and phrases of 2–4 words, by joined hash: the classes' bits. */
  phrases: Map<number, number>;
  /** Stems by the hash of their characters: a word whose prefix hashes so belongs to the classes. */
  stems: Map<number, number>;
  /** A bit for each key of phrases and of stems (see classesOf). */
  phraseFilter: Uint8Array;
  stemFilter: Uint8Array;
}

// Keys by their low 20 bits in the filters: 128 KiB each, a few thousand keys set.
const FILTER_MASK = (1 << 20) - 1;

function filterOf(keys: Iterable<number>): Uint8Array {
  const filter = new Uint8Array((FILTER_MASK + 1) / 8);
  for (const key of keys) {
    const k = key & FILTER_MASK;
    filter[k >> 3]! |= 1 << (k & 7);
  }
  return filter;
}

/**
 * The classes' bits of `key` in a table (0: none). The reader asks at every word, pair and stem, and most are in no
 * class: a clear bit in the filter says so without the Map's look-up (its keys are 32-bit hashes, past the small
 * integers a Map hashes cheaply), which cost a quarter of the model's reading.
 */
export function classesOf(table: ReadonlyMap<number, number>, filter: Uint8Array, key: number): number {
  const k = key & FILTER_MASK;
  return (filter[k >> 3]! & (1 << (k & 7))) === 0 ? 0 : (table.get(key) ?? 0);
}

/**
 * Builds the lookup tables. `wordHashes` splits a folded entry into the reader's words and hashes
 * each exactly as the reader does (null for an entry in a script read without spaces, which the
 * character n-grams cover).
 */
export function buildConceptTables(fold: (s: string) => string, wordHashes: (folded: string) => number[] | null): ConceptTables {
  const phrases = new Map<number, number>();
  const stems = new Map<number, number>();
  CONCEPT_CLASSES.forEach((entries, bit) => {
    for (const entry of entries) {
      const folded = fold(entry);
      const hashes = wordHashes(folded);
      if (hashes === null || hashes.length === 0 || hashes.length > MAX_PHRASE_WORDS) continue;
      const key = hashes.reduce((p, h, i) => (i === 0 ? h : joinHash(p, h)));
      phrases.set(key, (phrases.get(key) ?? 0) | (1 << bit));
      if (hashes.length === 1 && [...folded.trim()].length >= MIN_STEM) stems.set(key, (stems.get(key) ?? 0) | (1 << bit));
    }
  });
  return { phrases, stems, phraseFilter: filterOf(phrases.keys()), stemFilter: filterOf(stems.keys()) };
}

/** Stems are matched from this many characters into a word. */
export const STEM_FROM = MIN_STEM;
