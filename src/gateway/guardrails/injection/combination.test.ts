import { describe, expect, it } from 'vitest';
import {
  COMBINATION_FEATURES,
  type CombinationInput,
  type CombinationWeights,
  combinationFeatures,
  combineInjectionScores,
  combineWithProbability,
  languageFloor,
  languageMatters,
  VETOED,
} from './combination.js';
import { COMBINATION_WEIGHTS } from './combination-weights.js';

const fitted: CombinationWeights = { rules: ['instruction_override'], weights: [], threshold: 0.6, vetoPeak: 0.15, aloneScore: 0.85 };
const text = (over: Partial<CombinationInput>): CombinationInput => ({ ruleScore: 0, rules: [], score: 0, peak: 0, chunks: 1, about: false, ...over });

describe('injection combination: how the rules and the learned tier decide together', () => {
  it('lets a hard rule or a role change block whatever the combination reads', () => {
    for (const rules of [['unicode_tags'], ['encoded_instructions'], ['role_hijack'], ['restriction_removal', 'override_hint']])
      expect(combineWithProbability(text({ ruleScore: 0.9, rules, about: true }), 0, fitted)).toBe(0.9);
  });

  it('sets a rule block aside only in a text about injection or on a plainly benign reading, and only when unconfirmed', () => {
    const block = { ruleScore: 0.85, rules: ['instruction_override'] };
    // Unconfirmed, about injection: set aside whatever the peak.
    expect(combineWithProbability(text({ ...block, about: true, peak: 0.7 }), 0.3, fitted)).toBe(VETOED);
    // Unconfirmed, not about injection: set aside only below vetoPeak (the model reads short classics at 0.2–0.5).
    expect(combineWithProbability(text({ ...block, peak: 0.1 }), 0.3, fitted)).toBe(VETOED);
    expect(combineWithProbability(text({ ...block, peak: 0.3 }), 0.3, fitted)).toBe(0.85);
    // Confirmed: stands.
    expect(combineWithProbability(text({ ...block, about: true, peak: 0.1 }), 0.7, fitted)).toBe(0.85);
  });

  it('adds a block on a rule hint it confirms, and on no rule only where the model reads an injection itself', () => {
    expect(combineWithProbability(text({ ruleScore: 0.3, rules: ['override_hint'], score: 0.5 }), 0.8, fitted)).toBeGreaterThanOrEqual(0.5);
    expect(combineWithProbability(text({ ruleScore: 0.3, rules: ['override_hint'], score: 0.5 }), 0.5, fitted)).toBe(0.3);
    expect(combineWithProbability(text({ score: 0.8 }), 0.9, fitted)).toBe(0);
    const alone = combineWithProbability(text({ score: 0.9 }), 0.9, fitted);
    expect(alone).toBeGreaterThanOrEqual(0.5);
    // The more sure the combination, the higher the score, never past 1.
    expect(combineWithProbability(text({ score: 0.9 }), 1, fitted)).toBe(1);
    expect(combineWithProbability(text({ score: 0.9 }), 0.95, fitted)).toBeGreaterThan(alone);
    // A line of badges and links has no sentence for the model to read: its reading alone blocks nothing there.
    expect(combineWithProbability(text({ score: 0.9, prose: false }), 1, fitted)).toBe(0);
    expect(combineWithProbability(text({ ruleScore: 0.3, rules: ['override_hint'], score: 0.9, prose: false }), 0.9, fitted)).toBeGreaterThanOrEqual(0.5);
  });

  it('holds a long text (more than three chunks) to its own threshold, a short one to the main one', () => {
    const long = { ...fitted, longThreshold: 0.5 };
    expect(combineWithProbability(text({ score: 0.9, chunks: 8 }), 0.55, long)).toBeGreaterThanOrEqual(0.5);
    expect(combineWithProbability(text({ score: 0.9, chunks: 2 }), 0.55, long)).toBe(0);
    expect(combineWithProbability(text({ score: 0.9, chunks: 8 }), 0.55, fitted)).toBe(0);
    // Its guards hold there too: no rule fired, so the model's own reading must reach aloneScore.
    expect(combineWithProbability(text({ score: 0.6, chunks: 8 }), 0.55, long)).toBe(0);
  });

  it('weighs the model alone apart in a language no rule lexicon reads, and only where no rule fired', () => {
    const at = (name: (typeof COMBINATION_FEATURES)[number]) => COMBINATION_FEATURES.indexOf(name);
    const unread = combinationFeatures(text({ score: 0.7, reach: 'unread' }), []);
    expect([unread[at('unread')], unread[at('no_rule*unread')]]).toEqual([1, 1]);
    expect(unread[at('no_rule*unread*model')]).toBeCloseTo(Math.log(0.7 / 0.3));
    const read = combinationFeatures(text({ score: 0.7 }), []);
    expect([read[at('unread')], read[at('no_rule*unread')], read[at('no_rule*unread*model')]]).toEqual([0, 0, 0]);
  });

  it('lets the model alone block from foreignAlone in a language a lexicon other than English’s reads, only where no rule fired', () => {
    const foreign = { ...fitted, foreignAlone: 0.7 };
    // The combination is unsure (0.5 < threshold); the model's own reading reaches foreignAlone.
    expect(combineWithProbability(text({ score: 0.75, reach: 'foreign' }), 0.5, foreign)).toBeGreaterThanOrEqual(0.5);
    expect(combineWithProbability(text({ score: 0.9, reach: 'foreign' }), 0.5, foreign)).toBeGreaterThan(
      combineWithProbability(text({ score: 0.75, reach: 'foreign' }), 0.5, foreign),
    );
    expect(combineWithProbability(text({ score: 0.65, reach: 'foreign' }), 0.5, foreign)).toBe(0);
    // English, no such guard, a rule that fired, a text about injection, or no prose: the guard says nothing.
    expect(combineWithProbability(text({ score: 0.75 }), 0.5, foreign)).toBe(0);
    expect(combineWithProbability(text({ score: 0.75, reach: 'foreign' }), 0.5, fitted)).toBe(0);
    expect(combineWithProbability(text({ ruleScore: 0.3, rules: ['override_hint'], score: 0.75, reach: 'foreign' }), 0.5, foreign)).toBe(0.3);
    expect(combineWithProbability(text({ score: 0.75, reach: 'foreign', about: true }), 0.5, foreign)).toBe(0);
    expect(combineWithProbability(text({ score: 0.75, reach: 'foreign', prose: false }), 0.5, foreign)).toBe(0);
  });

  it('lets the model alone block from readAlone in any language, English included, only where no rule fired', () => {
    const any = { ...fitted, foreignAlone: 0.7, readAlone: 0.8 };
    expect(combineWithProbability(text({ score: 0.85 }), 0.5, any)).toBeGreaterThanOrEqual(0.5);
    expect(combineWithProbability(text({ score: 0.85, reach: 'unread' }), 0.5, any)).toBeGreaterThanOrEqual(0.5);
    expect(combineWithProbability(text({ score: 0.95 }), 0.5, any)).toBeGreaterThan(combineWithProbability(text({ score: 0.85 }), 0.5, any));
    // Below it in English nothing blocks; in a foreign language foreignAlone still does.
    expect(combineWithProbability(text({ score: 0.75 }), 0.5, any)).toBe(0);
    expect(combineWithProbability(text({ score: 0.75, reach: 'foreign' }), 0.5, any)).toBeGreaterThanOrEqual(0.5);
    // A rule that fired, a text about injection, no prose, or no such guard: it says nothing.
    expect(combineWithProbability(text({ ruleScore: 0.3, rules: ['override_hint'], score: 0.9 }), 0.5, any)).toBe(0.3);
    expect(combineWithProbability(text({ score: 0.9, about: true }), 0.5, any)).toBe(0);
    expect(combineWithProbability(text({ score: 0.9, prose: false }), 0.5, any)).toBe(0);
    expect(combineWithProbability(text({ score: 0.9 }), 0.5, fitted)).toBe(0);
  });

  it('reads one indicator per rule it names, and the rules it does not name as one', () => {
    const x = combinationFeatures(text({ ruleScore: 0.3, rules: ['instruction_override', 'secret_hint'] }), ['instruction_override', 'tool_coercion']);
    expect(x).toHaveLength(COMBINATION_FEATURES.length + 2);
    expect(x.slice(COMBINATION_FEATURES.length)).toEqual([1, 0]);
    expect(x[COMBINATION_FEATURES.indexOf('other_rule')]).toBe(1);
    expect(x[COMBINATION_FEATURES.indexOf('no_rule')]).toBe(0);
  });

  it('ships weights fitted on authors the rules were never tuned to, one per feature, within the guards', () => {
    expect(COMBINATION_WEIGHTS.weights).toHaveLength(COMBINATION_FEATURES.length + COMBINATION_WEIGHTS.rules.length);
    expect(((COMBINATION_WEIGHTS.meta?.untuned ?? []) as string[]).length).toBeGreaterThanOrEqual(2);
    expect(COMBINATION_WEIGHTS.vetoPeak).toBeLessThanOrEqual(0.1);
    // A text no rule touched is blocked only where the model itself reads an injection.
    expect(COMBINATION_WEIGHTS.aloneScore).toBeGreaterThanOrEqual(0.5);
    // A bare classic the model reads poorly keeps its rule block; a plain sentence stays unblocked.
    expect(combineInjectionScores(text({ ruleScore: 0.9, rules: ['instruction_override', 'secret_hint'], score: 0.37, peak: 0.37 }))).toBe(0.9);
    expect(combineInjectionScores(text({ score: 0.05, peak: 0.05 }))).toBeLessThan(0.5);
  });

  it('reads the language score only where it can move the verdict: never beside a rule block, never below the scores it is compared with', () => {
    // The language score is never above the model's; wherever languageMatters says no, any value up to it gives one verdict.
    let skipped = 0;
    for (const ruleScore of [0, 0.3, 0.45, 0.5, 0.9])
      for (const rules of [[], ['override_hint'], ['instruction_override']])
        for (const score of [0.05, 0.3, 0.49, 0.5, 0.64, 0.65, 0.8, 0.99])
          for (const reach of ['read', 'foreign', 'unread'] as const) {
            if (languageMatters(ruleScore, score)) continue;
            skipped++;
            const base = { ruleScore, rules, score, peak: score, chunks: 4, about: false, reach };
            const verdicts = [0, score / 2, score].map((language) => combineInjectionScores({ ...base, language }));
            expect(new Set(verdicts).size).toBe(1);
            expect(combineInjectionScores(base)).toBe(verdicts[0]);
          }
    expect(skipped).toBeGreaterThan(100);
    // Where it can, any language score under the floor reads as none (the model then asks no reading under it).
    const floor = languageFloor();
    for (const score of [floor, 0.8, 0.99])
      for (const reach of ['read', 'foreign', 'unread'] as const) {
        const base = { ruleScore: 0.2, rules: [], score, peak: score, chunks: 4, about: false, reach };
        const verdicts = [0, floor / 2, floor - 1e-9].map((language) => combineInjectionScores({ ...base, language }));
        expect(new Set(verdicts).size).toBe(1);
      }
    // Where no rule blocks and the model reads high, the language score decides whether the model blocks alone.
    expect(languageMatters(0, 0.9)).toBe(true);
    const high = { ruleScore: 0, rules: [], score: 0.99, peak: 0.99, chunks: 1, about: false };
    expect(combineInjectionScores({ ...high, language: 0.99 })).toBeGreaterThanOrEqual(0.5);
    expect(combineInjectionScores({ ...high, language: 0.01 })).toBeLessThan(0.5);
  });
});
