import { createInjectionModel, type InjectionModel } from '../guardrails/injection/model.js';
import { DEFINITION_MODEL } from './definition-model-weights.js';
import { definitionModelText } from './definition-model-text.js';

/**
 * The learned tier's probability at or above which a definition the rules pass is withheld. Chosen on the
 * out-of-source scores alone (scripts/train-definition-model.mjs: every author and every published server
 * held out in turn), for the fewest clean published definitions withheld, never on the holdout files.
 */
export const LEARNED_DEFINITION_THRESHOLD = 0.94;

let model: InjectionModel | undefined;

// What a definition says beyond its name must hold a sentence's worth for the tier to read it: on a few words
// (`Adds a note` and a `text` field, as SDK examples and fixtures are) its verdict is the vocabulary's prior,
// not a reading (0.95 there), and out of source no poisoned definition the rules missed was that short.
// Counted in letters and digits, a CJK, Hangul or Thai character as three (a word's worth of Latin letters).
const MIN_TEXT = 60;

/** The size of a text as MIN_TEXT counts it, up to MIN_TEXT. */
function textSize(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length && n < MIN_TEXT; i++) {
    const c = text.charCodeAt(i);
    if (c <= 32) continue;
    n += (c >= 0x2e80 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7af) || (c >= 0x0e00 && c <= 0x0eff) ? 3 : 1;
  }
  return n;
}

/**
 * The definitions' learned tier: the injection engine's reader with weights trained on definitions
 * (poisoned and clean by author, and the published servers' own), reading what a model is told by one.
 * Its weights are unpacked with its first read (1 MiB), on the scan's thread.
 */
export function learnedDefinitionScore(name: string, fields: Record<string, unknown>): number {
  const text = definitionModelText(name, fields);
  if (textSize(text.slice(text.indexOf('\n') + 1)) < MIN_TEXT) return 0;
  model ??= createInjectionModel(DEFINITION_MODEL);
  return model.score(text);
}
