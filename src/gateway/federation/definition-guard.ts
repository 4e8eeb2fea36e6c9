import type { Tool } from '@modelcontextprotocol/server';
import { createInjectionScorer, type InjectionHit } from '../guardrails/index.js';

/**
 * A definition scoring this or more reads as carrying injected instructions. Lower than the
 * prompt_guard node's default (0.5) so that invisible characters alone (zero-width, 0.4) hold a
 * definition: nothing a model is told about a tool has a reason to hide text from the admin.
 */
export const DEFINITION_THRESHOLD = 0.4;

/** Why a definition is held for an admin's look: its score and the rules that matched. */
export interface DefinitionFindings {
  score: number;
  rules: InjectionHit[];
}

// Descriptions are read by a model; links in them have no host an admin approved in advance.
const scorer = createInjectionScorer();
const MAX_CHARS = 262_144;

/** Every text of a definition, keys included (a property name is read by the model too), bounded. */
function textsOf(value: unknown, out: string[], budget: { left: number }): void {
  const stack: unknown[] = [value];
  while (stack.length > 0 && budget.left > 0) {
    const node = stack.pop();
    if (typeof node === 'string') {
      out.push(node);
      budget.left -= node.length + 1;
    } else if (Array.isArray(node)) {
      for (const item of node) stack.push(item);
    } else if (node !== null && typeof node === 'object') {
      for (const [key, v] of Object.entries(node as Record<string, unknown>)) {
        out.push(key);
        budget.left -= key.length + 1;
        stack.push(v);
      }
    }
  }
}

/**
 * Scans what an upstream tells a model about a tool (name, title, description, input and output
 * schemas, annotations) with the prompt_guard rules; null when it reads clean. A definition with
 * findings is never approved implicitly: it waits for an admin like a changed definition.
 */
export function definitionFindings(tool: Tool): DefinitionFindings | null {
  const { name, title, description, inputSchema, outputSchema, annotations } = tool;
  const texts: string[] = [];
  textsOf({ name, title, description, inputSchema, outputSchema, annotations }, texts, { left: MAX_CHARS });
  const joined = texts.join('\n');
  const found = scorer.scoreText(joined.length > MAX_CHARS ? joined.slice(0, MAX_CHARS) : joined);
  return found.score >= DEFINITION_THRESHOLD ? { score: found.score, rules: found.hits } : null;
}
