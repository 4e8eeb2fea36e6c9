import { createInjectionModel, type InjectionModel } from '../guardrails/injection/model.js';
import { DEFINITION_MODEL } from './definition-model-weights.js';
import { definitionModelText } from './definition-model-text.js';

/**
 * The learned tier's probability at or above which a definition the rules pass is withheld. Chosen on the
 * out-of-source scores alone (scripts/train-definition-model.mjs: every author and every published server
 * held out in turn), for the fewest clean published definitions withheld, never on the holdout files.
 */
export const LEARNED_DEFINITION_THRESHOLD = 0.9;

let model: InjectionModel | undefined;

/**
 * The definitions' learned tier: the injection engine's reader with weights trained on definitions
 * (poisoned and clean by author, and the published servers' own), reading what a model is told by one.
 * Its weights are unpacked with its first read (1 MiB), on the scan's thread.
 */
export function learnedDefinitionScore(name: string, fields: Record<string, unknown>): number {
  model ??= createInjectionModel(DEFINITION_MODEL);
  return model.score(definitionModelText(name, fields));
}
