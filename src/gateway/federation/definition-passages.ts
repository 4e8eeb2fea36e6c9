import { type InjectionScore, RULE_WEIGHTS } from '../guardrails/index.js';

/**
 * A long description covers many topics: an auth tool's names client secrets in one passage,
 * redirects in another, a sibling tool in a third (Neon's configure_neon_auth). Prompt_guard's
 * hints (each below the definition threshold alone) that hold it only by adding up across the
 * whole are read again passage by passage: an order is said in one place, so the description
 * scores as its worst passage. A rule that holds alone, or hints meeting in one passage, still hold.
 */

// Shorter descriptions are read whole: hints a few lines apart are one passage.
const LONG = 2_000;

/** The prompt_guard score of a definition's texts (`whole`: joined), hints that meet in no passage (a paragraph, a list item, a property's text) read apart. */
export function passageScore(
  texts: readonly string[],
  whole: InjectionScore,
  score: (text: string) => InjectionScore,
  weights: Readonly<Record<string, number>>,
  threshold: number,
): InjectionScore {
  if (whole.score < threshold || texts.reduce((n, t) => n + t.length, 0) < LONG) return whole;
  if (whole.hits.some((h) => (weights[h.rule] ?? RULE_WEIGHTS[h.rule] ?? 0.5) >= threshold)) return whole;
  let worst: InjectionScore = { score: 0, hits: [] };
  for (const passage of texts.flatMap((t) => t.split(/\n[ \t]*(?=\n|[-*•]|\d{1,2}[.)])/))) {
    if (!passage.trim()) continue;
    const found = score(passage);
    if (found.score > worst.score) worst = found;
    if (worst.score >= threshold) return worst;
  }
  return worst;
}
