import type { z } from 'zod';
import type { RedactResponseFieldsNode } from '../../../core/index.js';
import type { NodeCompiler } from '../step.js';

type Step = { key: string } | { index: number } | { all: true };

/** `$.items[*].card` → [{key: items}, {all}, {key: card}] (the schema has checked the syntax). */
function parsePath(path: string): Step[] {
  const steps: Step[] = [];
  for (const m of path.slice(1).matchAll(/\.([^.[\]]+)|\[(\*|\d+)\]/g)) {
    if (m[1] !== undefined) steps.push({ key: m[1] });
    else if (m[2] === '*') steps.push({ all: true });
    else steps.push({ index: Number(m[2]) });
  }
  return steps;
}

/** Applies `edit` to the parent and key of every place the path reaches; returns how many. */
function visit(value: unknown, steps: readonly Step[], at: number, edit: (parent: Record<string, unknown> | unknown[], key: string | number) => void): number {
  if (value === null || typeof value !== 'object') return 0;
  const step = steps[at]!;
  const last = at === steps.length - 1;
  const keys: Array<string | number> = [];
  if ('key' in step) {
    if (!Array.isArray(value) && Object.hasOwn(value, step.key)) keys.push(step.key);
  } else if ('index' in step) {
    if (Array.isArray(value) && step.index < value.length) keys.push(step.index);
  } else if (Array.isArray(value)) for (let i = value.length - 1; i >= 0; i--) keys.push(i);
  else keys.push(...Object.keys(value));
  let n = 0;
  for (const k of keys) {
    const container = value as Record<string | number, unknown>;
    if (last) {
      edit(value as Record<string, unknown> | unknown[], k);
      n++;
    } else n += visit(container[k], steps, at + 1, edit);
  }
  return n;
}

/** Removes or masks JSON fields of the response before the caller (and a model) sees them; a non-JSON body passes unchanged. */
export const compileRedactResponseFields: NodeCompiler<z.output<typeof RedactResponseFieldsNode>> = (node) => {
  const paths = node.paths.map(parsePath);
  const edit =
    node.mode === 'remove'
      ? (parent: Record<string, unknown> | unknown[], key: string | number) => {
          if (Array.isArray(parent)) parent.splice(key as number, 1);
          else delete parent[key as string];
        }
      : (parent: Record<string, unknown> | unknown[], key: string | number) => {
          (parent as Record<string | number, unknown>)[key] = node.mask;
        };
  return (x) => {
    const doc = x.responseJson();
    if (doc === undefined) return;
    let n = 0;
    for (const steps of paths) n += visit(doc, steps, 0, edit);
    if (n === 0) return;
    x.setResponseBody(Buffer.from(JSON.stringify(doc)));
    x.note(`${node.id}:redacted=${n}`);
  };
};
