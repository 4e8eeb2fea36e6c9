/** Override verbs and instruction nouns of one language; `cjk` languages have no spaces between words. */
export interface OverrideLexicon {
  verbs: readonly string[];
  nouns: readonly string[];
  /** Words for "previous", "above", "all": alone after an override verb they set aside a message or an e-mail as often as instructions, so they are a hint. */
  quals?: readonly string[];
  cjk?: boolean;
  /** The usual order of an order is object then verb ("all previous instructions forget"): the noun may come first. */
  objectFirst?: boolean;
}
