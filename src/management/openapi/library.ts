import { DROPPED_SCHEMA_KEYS, isObject, type Json, mapSchemaKeywords, SHARED_SCHEMA_REF, type SchemaExpander } from '../../core/index.js';

/**
 * The schemas a document's operations share, converted once per import. Endpoints store their
 * schemas with every `$ref` pointing here (`#/$defs/Name`) instead of expanded copies, so a large
 * description costs its size once, not once per operation; the gateway expands a contract when it
 * is first used (see expandEndpointSchemas).
 */
export class SharedSchemas {
  readonly schemas: Record<string, Json> = {};
  /** Name by resolved reference (`<document>#<pointer>`), document-wide, so one name never means two schemas. */
  readonly #names = new Map<string, string>();
  readonly #taken = new Set<string>();
  readonly #pending: Array<{ name: string; value: unknown; base: string; where: string }> = [];

  constructor(private readonly expander: SchemaExpander) {}

  /** A schema converted to JSON Schema with its references pointing into the shared schemas; their targets are added by `finish`. */
  link(value: unknown, where: string, base = ''): Json {
    const out = this.#walk(value, base, where);
    return isObject(out) ? out : {};
  }

  /** Converts every schema referenced so far (and what those reference); returns the shared schemas. */
  finish(): Record<string, Json> {
    for (let next = this.#pending.shift(); next; next = this.#pending.shift()) {
      const out = this.#walk(next.value, next.base, next.where);
      this.schemas[next.name] = isObject(out) ? out : {};
    }
    return this.schemas;
  }

  #nameFor(ref: string, base: string, where: string): string | null {
    const r = this.expander.resolve(ref, base, where);
    if (!r) return null;
    const key = `${r.base}#${ref.slice(ref.indexOf('#') + 1)}`;
    let name = this.#names.get(key);
    if (name === undefined) {
      const wanted = (ref.slice(ref.lastIndexOf('/') + 1).replace(/[^A-Za-z0-9_.-]/g, '_') || 'Schema').slice(0, 100);
      name = wanted;
      for (let i = 2; this.#taken.has(name); i++) name = `${wanted}_${i}`;
      this.#names.set(key, name);
      this.#taken.add(name);
      this.#pending.push({ name, value: r.value, base: r.base, where });
    }
    return name;
  }

  #walk(value: unknown, base: string, where: string): unknown {
    if (Array.isArray(value)) return value.map((v) => this.#walk(v, base, where));
    if (!isObject(value)) return value;
    if (typeof value.$ref === 'string') {
      const name = this.#nameFor(value.$ref, base, where);
      const out: Json = name === null ? {} : { $ref: `${SHARED_SCHEMA_REF}${name}` };
      for (const k in value) if (k !== '$ref' && !DROPPED_SCHEMA_KEYS.has(k) && !k.startsWith('x-')) out[k] = this.#walk(value[k], base, where);
      return out;
    }
    return mapSchemaKeywords(value, (v) => this.#walk(v, base, where));
  }

  /** The shared schemas that refer back to themselves (directly or through others): kept as `$defs`/`$ref` when expanded. */
  recursive(): string[] {
    const edges = new Map<string, string[]>();
    for (const [name, schema] of Object.entries(this.schemas)) edges.set(name, [...refsIn(schema)]);
    // Tarjan's strongly connected components, iteratively: a name is recursive when its component has a cycle.
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const onStack = new Set<string>();
    const stack: string[] = [];
    const out: string[] = [];
    let counter = 0;
    for (const root of edges.keys()) {
      if (index.has(root)) continue;
      const work: Array<{ name: string; i: number }> = [{ name: root, i: 0 }];
      index.set(root, counter);
      low.set(root, counter++);
      stack.push(root);
      onStack.add(root);
      while (work.length > 0) {
        const frame = work[work.length - 1]!;
        const next = edges.get(frame.name)?.[frame.i++];
        if (next !== undefined) {
          if (!edges.has(next)) continue;
          if (!index.has(next)) {
            index.set(next, counter);
            low.set(next, counter++);
            stack.push(next);
            onStack.add(next);
            work.push({ name: next, i: 0 });
          } else if (onStack.has(next)) low.set(frame.name, Math.min(low.get(frame.name)!, index.get(next)!));
          continue;
        }
        work.pop();
        const parent = work[work.length - 1];
        if (parent) low.set(parent.name, Math.min(low.get(parent.name)!, low.get(frame.name)!));
        if (low.get(frame.name) !== index.get(frame.name)) continue;
        const component: string[] = [];
        for (let n = stack.pop(); n !== undefined; n = stack.pop()) {
          onStack.delete(n);
          component.push(n);
          if (n === frame.name) break;
        }
        if (component.length > 1 || edges.get(frame.name)!.includes(frame.name)) out.push(...component);
      }
    }
    return out.sort();
  }
}

function refsIn(node: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const v of node) refsIn(v, out);
  else if (isObject(node)) {
    if (typeof node.$ref === 'string' && node.$ref.startsWith(SHARED_SCHEMA_REF)) out.add(node.$ref.slice(SHARED_SCHEMA_REF.length));
    for (const k in node) if (k !== '$ref') refsIn(node[k], out);
  }
  return out;
}
