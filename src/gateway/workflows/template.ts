import { BudgetSpent, budgetOf, WORKFLOW_LIMITS } from './budget.js';
import type { CallVariables } from './variables.js';

/** A compiled `{{path}}` template: literal parts and lookups, joined per call. */
export type Template = (vars: CallVariables) => string;

const PLACEHOLDER = /\{\{\s*([A-Za-z_][\w-]*(?:\.[\w-]+)*)\s*\}\}/g;
const ROOTS = new Set(['request', 'caller', 'claims', 'ip', 'time', 'response', 'mcp']);

/** Why a template cannot be compiled, or null. */
export function templateProblem(text: string): string | null {
  for (const m of text.matchAll(PLACEHOLDER)) {
    const root = m[1]!.split('.')[0]!;
    if (!ROOTS.has(root)) return `unknown placeholder {{${m[1]}}} (use request.…, caller.…, claims.…, ip, time.…, response.… or, on a virtual server, mcp.…)`;
  }
  const stripped = text.replace(PLACEHOLDER, '');
  if (stripped.includes('{{')) return 'an unclosed or malformed {{…}} placeholder';
  return null;
}

function lookup(vars: CallVariables, path: readonly string[]): string {
  let v: unknown = vars;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return '';
    v = v instanceof Map ? v.get(key) : (v as Record<string, unknown>)[key];
  }
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** Compiles a template once; a text without placeholders costs nothing per call. */
export function compileTemplate(text: string): Template {
  const parts: Array<string | readonly string[]> = [];
  let at = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    if (m.index > at) parts.push(text.slice(at, m.index));
    parts.push(m[1]!.split('.'));
    at = m.index + m[0].length;
  }
  if (at < text.length) parts.push(text.slice(at));
  if (parts.length === 0) return () => '';
  if (parts.length === 1 && typeof parts[0] === 'string') {
    const constant = parts[0];
    return () => constant;
  }
  return (vars) => {
    const budget = budgetOf(vars);
    let out = '';
    for (const p of parts) {
      const piece = typeof p === 'string' ? p : lookup(vars, p);
      // Checked piece by piece, so a template that repeats a large value stops at the limit instead of building it.
      budget.templateBytes -= piece.length;
      if (budget.templateBytes < 0) throw new BudgetSpent(`its templates rendered more than the call's limit of ${WORKFLOW_LIMITS.templateBytes} characters`);
      out += piece;
    }
    return out;
  };
}
