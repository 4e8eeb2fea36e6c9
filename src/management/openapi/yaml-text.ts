import { GatehouseError } from '../../core/index.js';

/**
 * Reads a YAML description into plain JSON values, at about the cost of the JSON import.
 *
 * js-yaml builds values straight from the text. The `yaml` package (kept for the CLI's config
 * files, where comments and positions matter) builds a concrete syntax tree and then a document
 * of nodes before any value: on a 5,000-operation description that was 1.2 s of CPU and ~300 MB
 * for the tree alone, five times the JSON import's CPU (bench/yaml-import.mjs).
 *
 * The values are what YAML 1.2's core schema says, as before: `2020-01-01` and `yes` stay strings,
 * `<<` is an ordinary key, a repeated key keeps its last value, and a tag the schema does not know
 * (`!custom`, `!!binary`) is ignored, its value kept as written.
 */

/** A document's alias-expanded size may be at most this many times its own, plus the floor below. */
const EXPANSION_FACTOR = 10;
const EXPANSION_FLOOR = 100_000;
/** Nesting deeper than this is refused by the reader (JSON has no such limit; real descriptions stay far below it). */
const MAX_DEPTH = 1_000;

type JsYaml = typeof import('js-yaml');
let schema: import('js-yaml').Schema | undefined;

/** The core schema, plus catch-alls that read any other tag's node as untagged. */
function coreSchema(y: JsYaml): import('js-yaml').Schema {
  if (schema) return schema;
  const keep = (tag: string) => (['scalar', 'sequence', 'mapping'] as const).map((kind) => new y.Type(tag, { kind, multi: true, construct: (data) => data }));
  schema = y.CORE_SCHEMA.extend([...keep('!'), ...keep('tag:')]);
  return schema;
}

function invalid(message: string, detail = message): GatehouseError {
  return new GatehouseError('GATEHOUSE_OPENAPI_INVALID', message, [{ path: '', message: detail }]);
}

/**
 * An alias in YAML is the same object in two places. Walking such a value visits it once per
 * place, so a few nested aliases ("billion laughs") would make every later step (conversion,
 * storage) exponential: the expanded size is counted once per object here and bounded, and a
 * cycle (an anchor used inside itself) is refused.
 */
function checkAliases(root: unknown): void {
  const sizes = new Map<object, number>();
  const open = new Set<object>();
  let unique = 0;
  const size = (v: unknown): number => {
    if (typeof v !== 'object' || v === null) {
      unique++;
      return 1;
    }
    const known = sizes.get(v);
    if (known !== undefined) return known;
    if (open.has(v)) throw invalid('The YAML document refers to an anchor inside itself (a cycle), which no description can mean.', 'recursive alias');
    open.add(v);
    unique++;
    let n = 1;
    for (const child of Array.isArray(v) ? v : Object.values(v)) n += size(child);
    open.delete(v);
    sizes.set(v, n);
    return n;
  };
  const expanded = size(root);
  if (expanded > unique * EXPANSION_FACTOR + EXPANSION_FLOOR)
    throw invalid(
      `The YAML document's aliases expand it to ${expanded} values from ${unique}; at most ${EXPANSION_FACTOR}× (plus ${EXPANSION_FLOOR}) is accepted.`,
      'too many aliases',
    );
}

/** Parses YAML text; throws GATEHOUSE_OPENAPI_INVALID naming the syntax problem and its line. */
export async function parseYamlText(text: string): Promise<unknown> {
  let y: JsYaml;
  try {
    y = await import('js-yaml');
  } catch {
    throw new GatehouseError('GATEHOUSE_OPENAPI_INVALID', 'YAML documents need the `js-yaml` package, which is not installed; send JSON.');
  }
  let doc: unknown;
  try {
    doc = y.load(text, { schema: coreSchema(y), json: true, maxDepth: MAX_DEPTH });
  } catch (err) {
    const e = err as Error & { reason?: string; mark?: { line: number; column: number } };
    const where = e.mark ? ` (line ${e.mark.line + 1}, column ${e.mark.column + 1})` : '';
    const what = `${e.reason ?? e.message.split('\n')[0]}${where}`;
    throw invalid(`The document is neither valid JSON nor valid YAML: ${what}`, what);
  }
  checkAliases(doc);
  return doc;
}
