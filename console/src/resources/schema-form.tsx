import type { JsonSchema } from '../api/openapi-doc';
import { Field } from '../ui/Field';

/** The schema of a value that may also be null (`anyOf: [X, {type: null}]`), and whether it may. */
function unwrapNullable(schema: JsonSchema): { schema: JsonSchema; nullable: boolean } {
  const options = schema.anyOf ?? schema.oneOf;
  if (options) {
    const rest = options.filter((o) => o.type !== 'null');
    if (rest.length === 1 && rest.length < options.length) return { schema: { ...rest[0], default: schema.default }, nullable: true };
  }
  return { schema, nullable: false };
}

export type FieldKind = 'text' | 'number' | 'boolean' | 'enum' | 'json';

export function kindOf(schema: JsonSchema): FieldKind {
  const s = unwrapNullable(schema).schema;
  if (s.enum) return 'enum';
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  if (type === 'string') return 'text';
  if (type === 'integer' || type === 'number') return 'number';
  if (type === 'boolean') return 'boolean';
  return 'json';
}

/** Form state: every field as the text of its control (JSON for objects and arrays). */
export type Draft = Record<string, string>;

export function draftOf(body: JsonSchema, value: Record<string, unknown> = {}): Draft {
  const draft: Draft = {};
  for (const [name, schema] of Object.entries(body.properties ?? {})) {
    const v = name in value ? value[name] : schema.default;
    const kind = kindOf(schema);
    draft[name] = v === undefined || v === null ? '' : kind === 'json' ? JSON.stringify(v, null, 2) : String(v);
  }
  return draft;
}

/** The request body from a draft; empty optional fields are left out (or null where null is allowed and the field was set before). */
export function bodyOf(body: JsonSchema, draft: Draft, only?: Set<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const required = new Set(body.required ?? []);
  for (const [name, raw] of Object.entries(body.properties ?? {})) {
    if (only && !only.has(name)) continue;
    const text = draft[name] ?? '';
    const { nullable } = unwrapNullable(raw);
    if (text === '') {
      if (nullable && only) out[name] = null;
      else if (required.has(name) && kindOf(raw) === 'text') out[name] = '';
      continue;
    }
    const kind = kindOf(raw);
    if (kind === 'number') out[name] = Number(text);
    else if (kind === 'boolean') out[name] = text === 'true';
    else if (kind === 'json') {
      try {
        out[name] = JSON.parse(text);
      } catch {
        throw new Error(`${name}: not valid JSON`);
      }
    } else out[name] = text;
  }
  return out;
}

/** One labelled control per top-level field of an operation's request body, from its JSON Schema. */
export function SchemaFields({ body, draft, onChange }: { body: JsonSchema; draft: Draft; onChange: (d: Draft) => void }) {
  const required = new Set(body.required ?? []);
  return (
    <>
      {Object.entries(body.properties ?? {}).map(([name, raw]) => {
        const { schema } = unwrapNullable(raw);
        const kind = kindOf(raw);
        const set = (v: string) => onChange({ ...draft, [name]: v });
        const value = draft[name] ?? '';
        const label = `${name}${required.has(name) ? ' (required)' : ''}`;
        const hint = schema.description ?? (kind === 'json' ? 'JSON' : undefined);
        return (
          <Field key={name} label={label} {...(hint ? { hint } : {})}>
            {(id, described) =>
              kind === 'boolean' ? (
                <select id={id} aria-describedby={described} value={value} onChange={(e) => set(e.target.value)}>
                  <option value="">(default)</option>
                  <option value="true">true</option>
                  <option value="false">false</option>
                </select>
              ) : kind === 'enum' ? (
                <select id={id} aria-describedby={described} value={value} onChange={(e) => set(e.target.value)}>
                  <option value="">(choose)</option>
                  {(schema.enum ?? []).map((o) => (
                    <option key={String(o)} value={String(o)}>
                      {String(o)}
                    </option>
                  ))}
                </select>
              ) : kind === 'json' ? (
                <textarea id={id} aria-describedby={described} rows={Math.min(12, Math.max(3, value.split('\n').length))} value={value} onChange={(e) => set(e.target.value)} />
              ) : (
                <input
                  id={id}
                  aria-describedby={described}
                  type={kind === 'number' ? 'number' : 'text'}
                  value={value}
                  required={required.has(name)}
                  onChange={(e) => set(e.target.value)}
                />
              )
            }
          </Field>
        );
      })}
    </>
  );
}
