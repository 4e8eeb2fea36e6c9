/**
 * Guardrail detectors: pure scans of a text or JSON value for PII, secrets and injected
 * instructions. Workflow nodes (detect_pii, prompt_guard) call them on REST bodies today; an MCP
 * call's view (tool arguments, result text, structured content, resource contents, prompt
 * messages) is a JSON value too, and is fed to the same scans.
 */
export { createInjectionScorer, type InjectionHit, type InjectionOptions, type InjectionScore, RULE_WEIGHTS } from './injection.js';
export { scoreTextSteps, scoreValue, scoreValueSteps, type TextScorer } from './injection-steps.js';
export { newUnwrapBudget, type UnwrapBudget } from './injection/fold.js';
export { andThen, runBounded, runNow, type Work } from './slicing.js';
export type { Match } from './match.js';
export type { NationalIdPattern } from './national-id.js';
export { labelOf, type PiiCategory, type PiiScanOptions } from './pii.js';
export { type Counts, createPiiScanner, type PiiScanner, type PiiScanResult } from './scanner.js';
