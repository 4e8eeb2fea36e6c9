import { closeLanguages } from '../guardrails/injection/language-reach.js';
import { createInjectionModel, type InjectionModel } from '../guardrails/injection/model.js';
import { DEFINITION_MODEL } from './definition-model-weights.js';
import { definitionModelText } from './definition-model-text.js';

/**
 * The learned tier's probability at or above which a definition the rules pass is withheld. Chosen on the
 * out-of-source scores alone (scripts/train-definition-model.mjs: ten folds of authors and published servers,
 * each held out in turn; scripts/choose-definition-thresholds.mjs), never on the holdout files: the lowest that
 * withholds no clean published definition (29 Nov 2026, 10:55 UTC: 0.95 withheld one, 0.96 none) nor one the tests
 * keep (0.96 withheld a tool reading a public key file, read at 0.963: 0.97).
 */
export const LEARNED_DEFINITION_THRESHOLD = 0.97;

/**
 * The threshold where what a definition says is not English. The published servers whose clean definitions set the one
 * above write English; in other languages the bar is set by the authors' clean definitions instead (and the translated
 * ones), out of source: the lowest threshold at which at most 2 % of those the rules pass are withheld (29 Nov 2026, 10:55 UTC:
 * 24 of 1,280, where 0.91 withheld 29; of the authors' poisoned ones in other languages the rules miss it holds 87).
 */
export const LEARNED_DEFINITION_THRESHOLD_OTHER_LANGUAGES = 0.92;

let model: InjectionModel | undefined;

// What a definition says beyond its name must hold a sentence's worth for the tier to read it: on a few words
// (`Adds a note` and a `text` field, as SDK examples and fixtures are) its verdict is the vocabulary's prior,
// not a reading (0.95 there), and out of source no poisoned definition the rules missed was that short.
// Counted in letters and digits, a CJK, Hangul or Thai character as three (a word's worth of Latin letters).
export const MIN_DEFINITION_TEXT = 60;

/** The size of a text as MIN_DEFINITION_TEXT counts it, up to MIN_DEFINITION_TEXT. */
export function definitionTextSize(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length && n < MIN_DEFINITION_TEXT; i++) {
    const c = text.charCodeAt(i);
    if (c <= 32) continue;
    n += (c >= 0x2e80 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7af) || (c >= 0x0e00 && c <= 0x0eff) ? 3 : 1;
  }
  return n;
}

/** Whether franc reads a text as English (or close to it), or cannot tell: then the English threshold, the stricter, holds. */
export function readsAsEnglish(text: string): boolean {
  const close = closeLanguages(text);
  return close === null || close.includes('eng');
}

/**
 * The definitions' learned tier: the injection engine's reader with weights trained on definitions
 * (poisoned and clean by author, and the published servers' own, and each poison moved into other authors'
 * clean hosts: see scripts/train-definition-model.mjs), reading what a model is told by one.
 * Its weights are unpacked with its first read (1 MiB), on the scan's thread.
 */
export function learnedDefinitionScore(name: string, fields: Record<string, unknown>): number {
  return reading(name, fields).score;
}

/** The learned tier's score of a definition when it holds the definition (the threshold of the language it is written in), else null. */
export function learnedDefinitionHold(name: string, fields: Record<string, unknown>): number | null {
  const { score, said } = reading(name, fields);
  if (score >= LEARNED_DEFINITION_THRESHOLD) return score;
  return score >= LEARNED_DEFINITION_THRESHOLD_OTHER_LANGUAGES && !readsAsEnglish(said) ? score : null;
}

/** The tier's score and what the definition says beyond its name. */
function reading(name: string, fields: Record<string, unknown>): { score: number; said: string } {
  const text = definitionModelText(name, fields);
  const said = text.slice(text.indexOf('\n') + 1);
  if (definitionTextSize(said) < MIN_DEFINITION_TEXT) return { score: 0, said };
  model ??= createInjectionModel(DEFINITION_MODEL);
  return { score: model.score(text), said };
}
