import { useState } from 'react';
import { Field } from '../../ui/Field';
import { splitCommandLine } from './command-line';

/** One environment variable of the program: a secret one is sealed by the gateway and never shown again. */
export interface EnvRow {
  name: string;
  value: string;
  secret: boolean;
}

/** What the form holds of a stdio server's program, as typed. */
export interface StdioDraft {
  command: string;
  /** One argument per line, as typed (blank lines are not arguments). */
  args: string;
  cwd: string;
  env: EnvRow[];
}

export const EMPTY_STDIO: StdioDraft = { command: '', args: '', cwd: '', env: [] };

/** The create body's `stdio` and `sealedEnv` from the draft: plain variables in the command, secret ones sealed apart. */
export function stdioBody(draft: StdioDraft): { stdio: Record<string, unknown>; sealedEnv?: Record<string, string> } {
  const named = draft.env.filter((r) => r.name.trim() !== '');
  const pairs = (rows: EnvRow[]) => Object.fromEntries(rows.map((r) => [r.name.trim(), r.value]));
  const secret = named.filter((r) => r.secret);
  return {
    stdio: {
      command: draft.command.trim(),
      // Arguments are passed as typed (spaces and all): only empty lines are dropped.
      args: draft.args.split('\n').filter((a) => a !== ''),
      env: pairs(named.filter((r) => !r.secret)),
      ...(draft.cwd.trim() ? { cwd: draft.cwd.trim() } : {}),
    },
    ...(secret.length > 0 ? { sealedEnv: pairs(secret) } : {}),
  };
}

/** The draft with its command and every argument line split as a shell would: the first word the command, the rest one per line. */
function splitDraft(draft: StdioDraft): StdioDraft {
  const words = [draft.command, ...draft.args.split('\n')].flatMap(splitCommandLine);
  return { ...draft, command: words[0] ?? '', args: words.slice(1).join('\n') };
}

/** True when the command or an argument line holds white space between words: most likely a command line pasted whole. */
function looksPasted(draft: StdioDraft): boolean {
  return [draft.command, ...draft.args.split('\n')].some((l) => /\S\s+\S/.test(l));
}

/** How a server's program reads in a list: the command and its arguments, quoted where they hold spaces. */
export function commandLine(stdio: { command?: unknown; args?: unknown } | undefined): string {
  if (!stdio || typeof stdio.command !== 'string') return '';
  const args = Array.isArray(stdio.args) ? stdio.args.map(String) : [];
  return [stdio.command, ...args].map((a) => (a === '' || /[\s"']/.test(a) ? JSON.stringify(a) : a)).join(' ');
}

/**
 * The `stdio` field of a saved server's edit form (its JSON text in the form's draft) as the same
 * typed form: plain variables only (secret values are the separate `sealedEnv` field), and the
 * credential references of `secretEnv` kept as they are.
 */
export function StdioCommandEditor({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  const [stored] = useState(() => parseCommand(value));
  // The text as typed (a trailing new line in the arguments, say), not re-derived from the JSON.
  const [draft, setDraft] = useState<StdioDraft>(() => ({
    command: stored.command ?? '',
    args: (stored.args ?? []).join('\n'),
    cwd: stored.cwd ?? '',
    env: Object.entries(stored.env ?? {}).map(([name, v]) => ({ name, value: v, secret: false })),
  }));
  return (
    <StdioFields
      value={draft}
      secrets={false}
      onChange={(next) => {
        setDraft(next);
        onChange(JSON.stringify({ ...stdioBody(next).stdio, secretEnv: stored.secretEnv ?? {} }, null, 2));
      }}
    />
  );
}

function parseCommand(text: string): { command?: string; args?: string[]; cwd?: string; env?: Record<string, string>; secretEnv?: Record<string, unknown> } {
  try {
    return text.trim() ? JSON.parse(text) : {};
  } catch {
    return {};
  }
}

/**
 * The program a stdio server runs, as a form: the executable, its arguments one per line (never a
 * shell command line), a working directory, and environment variables, each plain or (`secrets`) secret.
 */
export function StdioFields({ value, onChange, secrets = true }: { value: StdioDraft; onChange: (v: StdioDraft) => void; secrets?: boolean }) {
  const setRow = (i: number, patch: Partial<EnvRow>) => onChange({ ...value, env: value.env.map((r, j) => (j === i ? { ...r, ...patch } : r)) });
  return (
    <fieldset className="group stack" aria-label="Program">
      <legend>Program the gateway runs</legend>
      <Field label="Command (required)" hint="The executable: a path, or a name on the gateway's PATH. It is never run through a shell.">
        {(id, hint) => (
          <input
            id={id}
            aria-describedby={hint}
            required
            value={value.command}
            placeholder="npx"
            onChange={(e) => onChange({ ...value, command: e.target.value })}
          />
        )}
      </Field>
      <Field label="Arguments" hint="One argument per line, passed as typed.">
        {(id, hint) => (
          <textarea
            id={id}
            aria-describedby={hint}
            rows={Math.max(2, Math.min(8, value.args.split('\n').length + 1))}
            value={value.args}
            placeholder={'-y\n@modelcontextprotocol/server-filesystem\n/srv/shared'}
            onChange={(e) => onChange({ ...value, args: e.target.value })}
          />
        )}
      </Field>
      {looksPasted(value) ? (
        // Not split silently: an argument may hold a space on purpose (a path, a header value).
        <p className="warn" data-testid="stdio-split-hint">
          Spaces are passed as typed: the command is one executable name and each line one argument, so the program may not start. Typed as a command line?{' '}
          <button type="button" onClick={() => onChange(splitDraft(value))}>
            Split at spaces
          </button>
        </p>
      ) : null}
      <Field label="Working directory" hint="An absolute path; empty: the gateway's own.">
        {(id, hint) => <input id={id} aria-describedby={hint} value={value.cwd} onChange={(e) => onChange({ ...value, cwd: e.target.value })} />}
      </Field>
      <fieldset className="rows-editor" aria-label="Environment">
        <legend>Environment</legend>
        <small className="muted">
          The program gets only these (and PATH, HOME and a few basics), never the gateway's own.{' '}
          {secrets
            ? 'A secret value is sealed, cut from what the program answers, and never shown again.'
            : 'Secret values are in Sealed env, typed unseen: what you type there replaces them all.'}
        </small>
        {value.env.map((row, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity but their place
          <div className="row tight" key={i}>
            <input
              aria-label={`Environment variable ${i + 1} name`}
              value={row.name}
              placeholder="NAME"
              onChange={(e) => setRow(i, { name: e.target.value })}
            />
            <input
              aria-label={`Environment variable ${i + 1} value`}
              type={row.secret ? 'password' : 'text'}
              autoComplete="off"
              value={row.value}
              placeholder="value"
              onChange={(e) => setRow(i, { value: e.target.value })}
            />
            {secrets ? (
              <label>
                <input type="checkbox" checked={row.secret} onChange={(e) => setRow(i, { secret: e.target.checked })} /> Secret
                <span className="sr-only"> (variable {i + 1})</span>
              </label>
            ) : null}
            <button type="button" onClick={() => onChange({ ...value, env: value.env.filter((_, j) => j !== i) })}>
              Remove <span className="sr-only">variable {i + 1}</span>
            </button>
          </div>
        ))}
        <button type="button" onClick={() => onChange({ ...value, env: [...value.env, { name: '', value: '', secret: false }] })}>
          Add environment variable
        </button>
      </fieldset>
    </fieldset>
  );
}
