import type * as Injection from './injection.js';
import type * as Steps from './injection-steps.js';
import { runBounded } from './slicing.js';

/** The prompt-injection engine: its rules, scorer and the bounded scans over bodies. */
export type InjectionEngine = Pick<typeof Injection, 'createInjectionScorer' | 'mayInjectSteps' | 'NO_INJECTION'> &
  Pick<typeof Steps, 'scoreTextSteps' | 'scoreValueSteps' | 'scoreEachSteps'>;

let loading: Promise<InjectionEngine> | undefined;

/**
 * The engine, imported with the first guardrail that needs it (a prompt_guard node, a tool-definition
 * scan) rather than at start: building its rules costs ~0.5 s and ~15 MB of a node's memory, which a
 * node with neither never uses. The import itself is light; the rules are built and compiled in
 * slices (warmSteps) before the engine is handed out, so neither the first body nor anything
 * meanwhile waits on the event loop for all of them. Later calls share the one load.
 */
export function loadInjectionEngine(): Promise<InjectionEngine> {
  loading ??= Promise.all([import('./injection.js'), import('./injection-steps.js')]).then(async ([injection, steps]) => {
    await runBounded(injection.warmSteps());
    return {
      createInjectionScorer: injection.createInjectionScorer,
      mayInjectSteps: injection.mayInjectSteps,
      NO_INJECTION: injection.NO_INJECTION,
      scoreTextSteps: steps.scoreTextSteps,
      scoreValueSteps: steps.scoreValueSteps,
      scoreEachSteps: steps.scoreEachSteps,
    };
  });
  return loading;
}
