/** A fitted combination: weights over combinationFeatures, for the rules it names, blocking from `threshold`. */
export interface CombinationWeights {
  rules: readonly string[];
  weights: readonly number[];
  threshold: number;
  /** The threshold for a text of more than three chunks (absent: `threshold`). */
  longThreshold?: number;
  /** Outside a text about injection, a rule block is set aside only where the model's peak is below this. */
  vetoPeak: number;
  /** A text no rule fired on is blocked only where the model's score reaches this. */
  aloneScore: number;
  /**
   * Where no rule fired on a text in a language a lexicon reads other than English (not about injection, with
   * prose), the model's score from which it blocks by itself (absent: no such block).
   */
  foreignAlone?: number;
  /**
   * The same in any language, English included, from a higher score (absent: no such block): the combination's
   * probability weighs a text no rule touched by the model's reading beside its length and peak, and held out it
   * left attacks the model itself read past this unblocked.
   */
  readAlone?: number;
  meta?: Readonly<Record<string, unknown>>;
}
