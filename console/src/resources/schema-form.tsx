import { Suspense, useState } from 'react';
import type { JsonSchema } from '../api/openapi-doc';
import { Field } from '../ui/Field';
import { FIELD_OVERRIDES } from './extras';
import { labelOfField, referenceOf } from './labels';
import { RefMulti, RefSelect } from './references';
import { type Draft, exampleOf, type FieldKind, kindOf, scalarKind, unwrapNullable } from './schema-kinds';
import { issuesOf } from './validate';

export { bodyOf, type Draft, draftOf, kindOf } from './schema-kinds';

function parsed<T>(text: string, fallback: T): T {
  if (text.trim() === '') return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/** One scalar value's control (text, number, yes/no, a choice), as the schema says. */
function Scalar({
  id,
  schema,
  value,
  onChange,
  describedBy,
  required,
  label,
}: {
  id: string;
  schema: JsonSchema;
  value: string;
  onChange: (v: string) => void;
  describedBy?: string | undefined;
  required?: boolean;
  label?: string;
}) {
  const s = unwrapNullable(schema).schema;
  const kind = scalarKind(s);
  const aria = label ? { 'aria-label': label } : {};
  if (kind === 'boolean') {
    return (
      <select id={id} {...aria} aria-describedby={describedBy} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">(default)</option>
        <option value="true">yes</option>
        <option value="false">no</option>
      </select>
    );
  }
  if (kind === 'enum') {
    return (
      <select id={id} {...aria} aria-describedby={describedBy} value={value} onChange={(e) => onChange(e.target.value)} required={required}>
        <option value="">(choose)</option>
        {(s.enum ?? []).map((o) => (
          <option key={String(o)} value={String(o)}>
            {String(o)}
          </option>
        ))}
      </select>
    );
  }
  return (
    <input
      id={id}
      {...aria}
      aria-describedby={describedBy}
      type={kind === 'number' ? 'number' : 'text'}
      value={value}
      required={required}
      {...(kind === 'text' && browserPattern(s.pattern) ? { pattern: browserPattern(s.pattern) } : {})}
      {...(kind === 'number' && s.minimum !== undefined ? { min: s.minimum } : {})}
      {...(kind === 'number' && s.maximum !== undefined ? { max: s.maximum } : {})}
      {...(kind === 'number' && !isInteger(s) ? { step: 'any' } : {})}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}

/** Whether a number field takes whole numbers only (the browser's default step, 1, refuses 0.7 otherwise). */
function isInteger(schema: JsonSchema): boolean {
  return schema.type === 'integer' || (Array.isArray(schema.type) && schema.type.includes('integer'));
}

/** The schema's pattern as an HTML `pattern` (compiled with the `v` flag by browsers), or none where that flag refuses it. */
function browserPattern(pattern: string | undefined): string | undefined {
  if (pattern === undefined) return undefined;
  try {
    new RegExp(pattern, 'v');
    return pattern;
  } catch {
    return undefined;
  }
}

function toScalar(schema: JsonSchema, text: string): unknown {
  const kind = scalarKind(schema);
  if (text === '') return undefined;
  if (kind === 'number') return Number(text);
  if (kind === 'boolean') return text === 'true';
  return text;
}

/** One entry per line: upstream URLs, CIDRs, header names. */
function ListEditor({ id, value, onChange, describedBy }: { id: string; value: string[]; onChange: (v: string[]) => void; describedBy?: string | undefined }) {
  // The text as typed (blank lines and all); the value is its non-empty lines.
  const [text, setText] = useState(value.join('\n'));
  return (
    <textarea
      id={id}
      aria-describedby={describedBy}
      rows={Math.max(2, Math.min(8, value.length + 1))}
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        onChange(
          e.target.value
            .split('\n')
            .map((l) => l.trim())
            .filter((l) => l !== ''),
        );
      }}
      placeholder="one per line"
    />
  );
}

/** Checkboxes for a list of fixed choices (allowed methods). */
function Choices({ label, options, value, onChange }: { label: string; options: unknown[]; value: string[]; onChange: (v: string[]) => void }) {
  return (
    <fieldset className="checks" aria-label={label}>
      {options.map((o) => (
        <label key={String(o)}>
          <input
            type="checkbox"
            checked={value.includes(String(o))}
            onChange={(e) => onChange(e.target.checked ? [...value, String(o)] : value.filter((v) => v !== String(o)))}
          />{' '}
          {String(o)}
        </label>
      ))}
    </fieldset>
  );
}

/** A list of small records (rate limits, quotas) as rows of typed controls, with add and remove. */
function RowsEditor({
  label,
  schema,
  value,
  onChange,
}: {
  label: string;
  schema: JsonSchema;
  value: Record<string, unknown>[];
  onChange: (v: Record<string, unknown>[]) => void;
}) {
  const props = Object.entries(schema.items?.properties ?? {});
  const max = (schema as { maxItems?: number }).maxItems;
  return (
    <div className="rows-editor">
      <table aria-label={label}>
        <thead>
          <tr>
            {props.map(([k]) => (
              <th key={k}>{labelOfField(k)}</th>
            ))}
            <th>
              <span className="sr-only">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {value.map((row, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity but their place
            <tr key={i}>
              {props.map(([k, s]) => (
                <td key={k}>
                  <Scalar
                    id={`${label}-${i}-${k}`}
                    label={`${label} ${i + 1} ${labelOfField(k)}`}
                    schema={s}
                    value={row[k] === undefined ? '' : String(row[k])}
                    onChange={(v) =>
                      onChange(
                        value.map((r, j) =>
                          j === i ? Object.fromEntries(Object.entries({ ...r, [k]: toScalar(s, v) }).filter(([, x]) => x !== undefined)) : r,
                        ),
                      )
                    }
                  />
                </td>
              ))}
              <td>
                <button type="button" onClick={() => onChange(value.filter((_, j) => j !== i))}>
                  Remove <span className="sr-only">row {i + 1}</span>
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button
        type="button"
        disabled={max !== undefined && value.length >= max}
        onClick={() => onChange([...value, exampleOf(schema.items ?? {}) as Record<string, unknown>])}
      >
        Add {label.toLowerCase().replace(/s$/, '')}
      </button>
    </div>
  );
}

/** A record of scalars and lists (timeouts, TLS, an access list) as a group of labelled controls. */
function GroupEditor({
  resource,
  name,
  label,
  schema,
  value,
  onChange,
}: {
  resource: string;
  name: string;
  label: string;
  schema: JsonSchema;
  value: Record<string, unknown>;
  onChange: (v: Record<string, unknown>) => void;
}) {
  const set = (k: string, v: unknown) => onChange(Object.fromEntries(Object.entries({ ...value, [k]: v }).filter(([, x]) => x !== undefined)));
  return (
    <fieldset className="group" aria-label={label}>
      {Object.entries(unwrapNullable(schema).schema.properties ?? {}).map(([k, s]) => {
        const inner = unwrapNullable(s).schema;
        const ref = referenceOf(resource, `${name}.${k}`);
        const list = Array.isArray(value[k]) ? (value[k] as string[]) : [];
        return (
          <Field key={k} label={labelOfField(k)}>
            {(id, hint) =>
              scalarKind(inner) ? (
                <Scalar
                  id={id}
                  describedBy={hint}
                  schema={s}
                  value={value[k] === undefined || value[k] === null ? '' : String(value[k])}
                  onChange={(v) => set(k, toScalar(inner, v))}
                />
              ) : ref ? (
                <RefMulti id={id} resource={ref} label={labelOfField(k)} value={list} onChange={(v) => set(k, v)} />
              ) : (
                <ListEditor id={id} describedBy={hint} value={list} onChange={(v) => set(k, v)} />
              )
            }
          </Field>
        );
      })}
    </fieldset>
  );
}

/** A map of names to values (headers) as rows; values that are secrets are typed unseen. */
function PairsEditor({
  label,
  value,
  onChange,
  secret,
}: {
  label: string;
  value: Record<string, string>;
  onChange: (v: Record<string, string>) => void;
  secret: boolean;
}) {
  const [rows, setRows] = useState<[string, string][]>(() => Object.entries(value));
  const set = (next: [string, string][]) => {
    setRows(next);
    onChange(Object.fromEntries(next.filter(([k]) => k.trim() !== '')));
  };
  return (
    <div className="rows-editor">
      {rows.map(([k, v], i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity but their place
        <div className="row tight" key={i}>
          <input
            aria-label={`${label} ${i + 1} name`}
            value={k}
            placeholder="Name"
            onChange={(e) => set(rows.map((r, j) => (j === i ? [e.target.value, r[1]] : r)))}
          />
          <input
            aria-label={`${label} ${i + 1} value`}
            type={secret ? 'password' : 'text'}
            autoComplete="off"
            value={v}
            placeholder="Value"
            onChange={(e) => set(rows.map((r, j) => (j === i ? [r[0], e.target.value] : r)))}
          />
          <button type="button" onClick={() => set(rows.filter((_, j) => j !== i))}>
            Remove <span className="sr-only">{k}</span>
          </button>
        </div>
      ))}
      <button type="button" onClick={() => set([...rows, ['', '']])}>
        Add {label.toLowerCase().replace(/s$/, '')}
      </button>
    </div>
  );
}

function hintOf(schema: JsonSchema, kind: FieldKind): string | undefined {
  const s = unwrapNullable(schema).schema;
  if (kind === 'json') return `${s.description ? `${s.description} ` : ''}Example: ${JSON.stringify(exampleOf(s))}`;
  if (kind === 'list') return s.description ?? (s.items?.format === 'uri' ? 'One URL per line.' : 'One per line.');
  return s.description;
}

/** One labelled control per top-level field of an operation's request body, from its JSON Schema: typed sub-forms where the shape allows, JSON with an example and zod's own errors elsewhere. */
export function SchemaFields({ body, draft, onChange, resource = '' }: { body: JsonSchema; draft: Draft; onChange: (d: Draft) => void; resource?: string }) {
  const required = new Set(body.required ?? []);
  return (
    <>
      {Object.entries(body.properties ?? {}).map(([name, raw]) => {
        const override = FIELD_OVERRIDES[`${resource}.${name}`];
        if (override?.shown && !override.shown(draft)) return null;
        if (override?.editor) {
          const Editor = override.editor;
          return (
            <Suspense key={name} fallback={<p className="loading">Loading…</p>}>
              <Editor value={draft[name] ?? ''} onChange={(v) => onChange({ ...draft, [name]: v })} />
            </Suspense>
          );
        }
        const { schema } = unwrapNullable(raw);
        const kind = kindOf(raw, resource, name);
        const set = (v: string) => onChange({ ...draft, [name]: v });
        const setJson = (v: unknown) => set(JSON.stringify(v, null, 2));
        const value = draft[name] ?? '';
        const human = labelOfField(name);
        const label = `${human}${required.has(name) ? ' (required)' : ''}`;
        const hint = hintOf(raw, kind);
        const ref = referenceOf(resource, name);
        const issues = kind === 'json' || kind === 'rows' || kind === 'group' || kind === 'pairs' ? issuesOf(raw, value) : [];
        return (
          <Field key={name} label={label} {...(hint ? { hint } : {})} {...(issues.length > 0 ? { error: issues.join('; ') } : {})}>
            {(id, described) =>
              kind === 'ref' && ref ? (
                <RefSelect id={id} describedBy={described} resource={ref} value={value} onChange={set} required={required.has(name)} />
              ) : kind === 'refs' && ref ? (
                <RefMulti id={id} resource={ref} label={human} value={parsed<string[]>(value, [])} onChange={setJson} />
              ) : kind === 'choices' ? (
                <Choices label={human} options={schema.items?.enum ?? []} value={parsed<string[]>(value, [])} onChange={setJson} />
              ) : kind === 'list' ? (
                <ListEditor id={id} describedBy={described} value={parsed<string[]>(value, [])} onChange={setJson} />
              ) : kind === 'rows' ? (
                <RowsEditor label={human} schema={schema} value={parsed<Record<string, unknown>[]>(value, [])} onChange={setJson} />
              ) : kind === 'pairs' ? (
                <PairsEditor label={human} secret={/header|secret|sealed/i.test(name)} value={parsed<Record<string, string>>(value, {})} onChange={setJson} />
              ) : kind === 'group' ? (
                <GroupEditor
                  resource={resource}
                  name={name}
                  label={human}
                  schema={schema}
                  value={parsed<Record<string, unknown>>(value, {})}
                  onChange={setJson}
                />
              ) : kind === 'json' ? (
                <textarea
                  id={id}
                  aria-describedby={described}
                  aria-invalid={issues.length > 0}
                  rows={Math.min(12, Math.max(3, value.split('\n').length))}
                  value={value}
                  onChange={(e) => set(e.target.value)}
                />
              ) : (
                <Scalar id={id} describedBy={described} schema={raw} value={value} onChange={set} required={required.has(name)} />
              )
            }
          </Field>
        );
      })}
    </>
  );
}
