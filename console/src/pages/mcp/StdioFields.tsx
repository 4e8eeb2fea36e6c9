import { Field } from '../../ui/Field';

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

/** How a server's program reads in a list: the command and its arguments, quoted where they hold spaces. */
export function commandLine(stdio: { command?: unknown; args?: unknown } | undefined): string {
  if (!stdio || typeof stdio.command !== 'string') return '';
  const args = Array.isArray(stdio.args) ? stdio.args.map(String) : [];
  return [stdio.command, ...args].map((a) => (a === '' || /[\s"']/.test(a) ? JSON.stringify(a) : a)).join(' ');
}

/**
 * The program a stdio server runs, as a form: the executable, its arguments one per line (never a
 * shell command line), a working directory, and environment variables, each plain or secret.
 */
export function StdioFields({ value, onChange }: { value: StdioDraft; onChange: (v: StdioDraft) => void }) {
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
      <Field label="Working directory" hint="An absolute path; empty: the gateway's own.">
        {(id, hint) => <input id={id} aria-describedby={hint} value={value.cwd} onChange={(e) => onChange({ ...value, cwd: e.target.value })} />}
      </Field>
      <fieldset className="rows-editor" aria-label="Environment">
        <legend>Environment</legend>
        <small className="muted">
          The program gets only these (and PATH, HOME and a few basics), never the gateway's own. A secret value is sealed, cut from what the program answers,
          and never shown again.
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
            <label>
              <input type="checkbox" checked={row.secret} onChange={(e) => setRow(i, { secret: e.target.checked })} /> Secret
              <span className="sr-only"> (variable {i + 1})</span>
            </label>
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
