import { z } from 'zod';

/** One input field of an operation as a command-line flag. */
export interface FieldFlag {
  /** The input field. */
  field: string;
  /** `--max-request-body-bytes` */
  flag: string;
  kind: 'string' | 'number' | 'boolean' | 'list' | 'json';
  required: boolean;
  description: string;
}

type JsonSchema = { type?: unknown; enum?: unknown[]; anyOf?: JsonSchema[]; items?: JsonSchema; description?: string; default?: unknown };

const SCALARS = new Set(['string', 'number', 'integer', 'boolean']);

function scalarOf(s: JsonSchema): 'string' | 'number' | 'boolean' | undefined {
  if (s.enum) return 'string';
  if (s.type === 'boolean') return 'boolean';
  if (s.type === 'number' || s.type === 'integer') return 'number';
  if (s.type === 'string') return 'string';
  return undefined;
}

function kindOf(s: JsonSchema): FieldFlag['kind'] {
  const options = (s.anyOf ?? [s]).filter((o) => o.type !== 'null');
  if (options.length !== 1) return 'json';
  const only = options[0]!;
  const scalar = scalarOf(only);
  if (scalar) return scalar;
  if (only.type === 'array' && only.items && (SCALARS.has(String(only.items.type)) || only.items.enum)) return 'list';
  return 'json';
}

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** The flags of an input schema's top-level fields, but for the ones given as positional arguments or reserved. */
export function flagsOf(schema: z.ZodType, skip: ReadonlySet<string>): FieldFlag[] {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, JsonSchema>; required?: string[] };
  const required = new Set(json.required ?? []);
  return Object.entries(json.properties ?? {})
    .filter(([field]) => !skip.has(field))
    .map(([field, s]) => {
      const kind = kindOf(s);
      const hint = kind === 'list' ? ' (comma-separated)' : kind === 'json' ? ' (JSON)' : '';
      const values = (s.anyOf ?? [s]).flatMap((o) => o.enum ?? []);
      const choices = values.length > 0 ? ` [${values.join('|')}]` : '';
      return { field, flag: `--${kebab(field)}`, kind, required: required.has(field), description: `${s.description ?? field}${choices}${hint}` };
    });
}

/** A flag's text as the value the input field takes. */
export function flagValue(flag: FieldFlag, raw: string | boolean): unknown {
  if (raw === true) return flag.kind === 'boolean' ? true : raw;
  const text = String(raw);
  if (text === 'null' && flag.kind !== 'string') return null;
  switch (flag.kind) {
    case 'boolean':
      if (!['true', 'false'].includes(text)) throw new Error(`${flag.flag} takes true or false`);
      return text === 'true';
    case 'number': {
      const n = Number(text);
      if (!Number.isFinite(n)) throw new Error(`${flag.flag} takes a number`);
      return n;
    }
    case 'list':
      return text
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    case 'json':
      try {
        return JSON.parse(text);
      } catch {
        throw new Error(`${flag.flag} takes JSON`);
      }
    default:
      return text;
  }
}
