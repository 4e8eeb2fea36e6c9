import type * as Injection from './injection.js';
import type * as Steps from './injection-steps.js';

/** The prompt-injection engine: its rules, scorer and the bounded scans over bodies. */
export type InjectionEngine = Pick<typeof Injection, 'createInjectionScorer' | 'mayInject' | 'mayInjectAsEither' | 'NO_INJECTION'> &
  Pick<typeof Steps, 'scoreTextSteps' | 'scoreValueSteps'>;

let loading: Promise<InjectionEngine> | undefined;

/**
 * The engine, imported with the first guardrail that needs it (a prompt_guard node, a tool-definition
 * scan) rather than at start: building its rules costs ~0.3 s and ~15 MB of a node's memory, which a
 * node with neither never uses. Later calls share the one import.
 */
export function loadInjectionEngine(): Promise<InjectionEngine> {
  loading ??= Promise.all([import('./injection.js'), import('./injection-steps.js')]).then(([injection, steps]) => ({
    createInjectionScorer: injection.createInjectionScorer,
    mayInject: injection.mayInject,
    mayInjectAsEither: injection.mayInjectAsEither,
    NO_INJECTION: injection.NO_INJECTION,
    scoreTextSteps: steps.scoreTextSteps,
    scoreValueSteps: steps.scoreValueSteps,
  }));
  return loading;
}
