// The `direct` channel of `--guardrails`: each corpus item scored in-process by the detectors
// compiled into dist/ (the same entry points the workflow nodes and the federation use), with the
// nodes' defaults. Fast, and the baseline the end-to-end channels are compared with.
import { categoryOfKind } from './guardrail-corpus.mjs';

const DIST = new URL('../dist/', import.meta.url);

/** The dist modules the direct channel needs, loaded once. */
export async function loadDetectors() {
  const guardrails = await import(new URL('gateway/guardrails/index.js', DIST).href);
  const definitions = await import(new URL('gateway/federation/definition-guard.js', DIST).href);
  const { PromptGuardNode } = await import(new URL('core/workflow/nodes/prompt-guard.js', DIST).href);
  const { DetectPiiNode } = await import(new URL('core/workflow/nodes/detect-pii.js', DIST).href);
  // The nodes' own defaults, so the direct channel judges as a default-configured node would.
  const guardDefaults = PromptGuardNode.parse({ type: 'prompt_guard', id: 'bench' });
  const piiDefaults = DetectPiiNode.parse({ type: 'detect_pii', id: 'bench' });
  // prompt_guard's pre-check on the raw body, which decides whether a body is scanned at all.
  const { mayInjectSteps } = await import(new URL('gateway/guardrails/injection.js', DIST).href);
  const { verbatimText } = await import(new URL('gateway/guardrails/raw-text.js', DIST).href);
  return { guardrails, definitions, guardDefaults, piiDefaults, precheck: { mayInjectSteps, verbatimText } };
}

/** A PII scanner per category (one detector family each), made on first use. */
function piiScanners(guardrails, piiDefaults) {
  const made = new Map();
  return (category) => {
    if (!made.has(category)) made.set(category, guardrails.createPiiScanner({ types: [category], minEntropy: piiDefaults.minEntropy }));
    return made.get(category);
  };
}

/**
 * Whether the detectors flag one item: a PII positive counts when redaction removed every
 * expected value, a negative when any finding of its category is reported; an injection when its
 * score reaches the default threshold; a definition when the federation's scan has findings.
 * Returns null for an item the detectors have no entry point for (counted apart).
 */
export function directScorer({ guardrails, definitions, guardDefaults, piiDefaults }) {
  const pii = piiScanners(guardrails, piiDefaults);
  const injection = guardrails.createInjectionScorer({ allowHosts: guardDefaults.allowHosts });
  return (item) => {
    if (item.family === 'pii') {
      if (item.category === 'national_id') return null; // needs operator patterns: no default detector
      const out = pii(item.category).scan(item.text, true);
      if (item.positive) return item.expect.every((e) => typeof out.value === 'string' && !out.value.includes(e.value));
      return Object.keys(out.counts).some((kind) => categoryOfKind(kind) === item.category);
    }
    if (item.family === 'injection') return guardrails.scoreValue(injection, item.text).score >= guardDefaults.threshold;
    if (item.tool) return definitions.definitionFindings(item.tool) !== null;
    if (item.prompt && typeof definitions.promptFindings === 'function') return definitions.promptFindings(item.prompt) !== null;
    if (item.resource && typeof definitions.resourceFindings === 'function') return definitions.resourceFindings(item.resource) !== null;
    return null;
  };
}
