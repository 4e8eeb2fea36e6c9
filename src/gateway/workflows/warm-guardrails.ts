import { loadInjectionEngine } from '../guardrails/injection-engine.js';
import { phones } from '../guardrails/phone.js';
import { warmRules } from '../guardrails/secret-rules/scan.js';
import type { Snapshot } from '../snapshot/types.js';

// How often the live snapshot is looked at for workflows it did not have: a node learns of config changes
// from its holder, which has no hook for this, and a second costs nothing against a change's own latency.
const CHECK_MS = 1_000;
// Nodes looked at per snapshot's workflows at most: a walk of the definitions, bounded like every input.
const MAX_NODES = 100_000;

/**
 * Loads what the live configuration's guardrail nodes need — the prompt-injection engine for a
 * prompt_guard node, the phone metadata and secret rules for a detect_pii node — as soon as a
 * snapshot holds one, rather than inside its first call: that call would otherwise hold the event
 * loop for the import and the compile (~0.1–0.2 s). Each load runs in its own turn (the engine's in
 * slices). Stops looking once both are loaded; returns the function that stops it sooner.
 */
export function warmGuardrails(
  current: () => Snapshot,
  log: (msg: string, err: unknown) => void,
  { loaders = LOADERS, checkMs = CHECK_MS }: { loaders?: GuardrailLoaders; checkMs?: number } = {},
): () => void {
  let seen: Snapshot['workflows'] | undefined;
  let engine = false;
  let pii = false;
  const check = (): void => {
    const workflows = current().workflows;
    if (workflows === seen) return;
    seen = workflows;
    const types = nodeTypes(workflows);
    if (!engine && types.has('prompt_guard')) {
      engine = true;
      loaders.engine().catch((err: unknown) => log('loading the prompt-injection engine failed', err));
    }
    if (!pii && types.has('detect_pii')) {
      pii = true;
      setImmediate(() => {
        try {
          loaders.pii();
        } catch (err) {
          log('loading the PII detectors failed', err);
        }
      }).unref();
    }
    if (engine && pii) clearInterval(timer);
  };
  const timer = setInterval(check, checkMs);
  timer.unref();
  setImmediate(check).unref();
  return () => clearInterval(timer);
}

/** What warming loads: the injection engine, and the PII detectors' libraries. */
export interface GuardrailLoaders {
  engine(): Promise<unknown>;
  pii(): void;
}

const LOADERS: GuardrailLoaders = {
  engine: loadInjectionEngine,
  pii: () => {
    phones();
    warmRules();
  },
};

/** The node types of every workflow definition a snapshot serves (latest and pinned), nested branches included. */
function nodeTypes(workflows: Snapshot['workflows']): Set<string> {
  const types = new Set<string>();
  const stack: unknown[] = [];
  for (const defs of workflows.values()) stack.push(defs.latest.definition, ...defs.pinned.values());
  let left = MAX_NODES;
  while (stack.length > 0 && left-- > 0) {
    const value = stack.pop();
    if (Array.isArray(value)) stack.push(...value);
    else if (value !== null && typeof value === 'object') {
      const type = (value as { type?: unknown }).type;
      if (typeof type === 'string') types.add(type);
      for (const v of Object.values(value)) if (v !== null && typeof v === 'object') stack.push(v);
    }
  }
  return types;
}
