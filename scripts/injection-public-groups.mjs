/**
 * The groups of published text (real documentation, articles about injection) among the injection tune corpora:
 * most of what a gateway reads. They weigh more than an author's group, in training (scripts/train-injection-model.mjs)
 * and in fitting the combination (scripts/fit-injection-combination.mjs), and the fit caps how many of them it blocks.
 */
export const PUBLIC_GROUPS = new Set(['docs-i18n', 'docs-i18n2', 'docs-i18n3', 'docs-i18n4', 'about-injection-public', 'packages']);
