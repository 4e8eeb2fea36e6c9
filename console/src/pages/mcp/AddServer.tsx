import { useState } from 'react';
import type { JsonSchema } from '../../api/openapi-doc';
import { rawCall } from '../../api/client';
import { bodyOf, type Draft, draftOf, SchemaFields } from '../../resources/schema-form';
import { ErrorBox } from '../../ui/ErrorBox';
import { useWrite } from '../../ui/useWrite';
import { Capabilities } from './Capabilities';
import { type ProbeInput, useProbe } from './probe';
import { EMPTY_STDIO, type StdioDraft, StdioFields, stdioBody } from './StdioFields';

/** The fields each auth type takes; the others are hidden while it is chosen. */
const AUTH_FIELDS: Record<string, string[]> = {
  none: [],
  static: ['headers'],
  oauth_client_credentials: ['credentialId'],
  oauth_per_user: ['oauth', 'oauthClientSecret'],
};
const ALL_AUTH_FIELDS = new Set(Object.values(AUTH_FIELDS).flat());
/** Where each transport reaches the server: a URL, or a command the gateway supervises. */
const TRANSPORT_FIELDS: Record<string, string> = { http: 'url', stdio: 'stdio' };
/** A stdio server's program and secret environment: typed in their own form, not as JSON. */
const PROGRAM = new Set(['stdio', 'sealedEnv']);
/** Tuning most people leave alone, folded away. */
const ADVANCED = new Set(['timeoutMs', 'maxResultChars', 'definitionsTtlMs']);

function pick(schema: JsonSchema, keep: (name: string) => boolean): JsonSchema {
  return {
    ...schema,
    properties: Object.fromEntries(Object.entries(schema.properties ?? {}).filter(([k]) => keep(k))),
    required: (schema.required ?? []).filter(keep),
  };
}

/**
 * Adds an upstream MCP server: its settings from the create operation's schema (a field added to the
 * registry shows up here), the auth type's own fields or a stdio server's program, and a connection
 * test that lists its tools, prompts and resources before anything is saved (a program is started
 * for the test and stopped after it).
 */
export function AddServer({ body, onSaved }: { body: JsonSchema; onSaved: () => void }) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(body, {}, 'mcp-servers'));
  const [program, setProgram] = useState<StdioDraft>(EMPTY_STDIO);
  const transport = draft.transport || 'http';
  const stdio = transport === 'stdio';
  // A program takes no auth of its own: its secrets are in its environment.
  const auth = stdio ? 'none' : draft.auth || 'none';
  const authFields = AUTH_FIELDS[auth] ?? [];
  // The other transport's field is hidden (and not sent); the chosen one is required, as the gateway requires it.
  const otherTransport = (k: string) => Object.values(TRANSPORT_FIELDS).includes(k) && TRANSPORT_FIELDS[transport] !== k;
  // Neither auth nor a network reach means anything for a program the node starts itself.
  const generic = (k: string) => !PROGRAM.has(k) && !(stdio && (k === 'auth' || k === 'allowPrivateNetwork'));
  const picked = pick(body, (k) => generic(k) && !ALL_AUTH_FIELDS.has(k) && !ADVANCED.has(k) && !otherTransport(k));
  const reach = TRANSPORT_FIELDS[transport];
  const main = reach && !stdio && !picked.required?.includes(reach) ? { ...picked, required: [...(picked.required ?? []), reach] } : picked;
  const authSchema = pick(body, (k) => authFields.includes(k));
  const advanced = pick(body, (k) => ADVANCED.has(k));
  // Only the chosen auth type's and transport's fields are sent (the others would be refused).
  const input = () => ({
    ...bodyOf(
      pick(body, (k) => generic(k) && (!ALL_AUTH_FIELDS.has(k) || authFields.includes(k)) && !otherTransport(k)),
      draft,
      undefined,
      'mcp-servers',
    ),
    ...(stdio ? stdioBody(program) : {}),
  });
  const probe = useProbe();
  const save = useWrite(
    () => rawCall<{ id: string; name: string }>('POST', '/mcp-servers', input()),
    () => {
      setDraft(draftOf(body, {}, 'mcp-servers'));
      setProgram(EMPTY_STDIO);
      probe.reset();
      onSaved();
    },
    (out) => `Added MCP server ${out.name}.`,
  );
  return (
    <form
      className="panel stack"
      aria-label="Add an MCP server"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(undefined);
      }}
    >
      <h2>Add an MCP server</h2>
      <SchemaFields resource="mcp-servers" body={main} draft={draft} onChange={setDraft} />
      {stdio ? <StdioFields value={program} onChange={setProgram} /> : null}
      {authFields.length > 0 ? <SchemaFields resource="mcp-servers" body={authSchema} draft={draft} onChange={setDraft} /> : null}
      <details>
        <summary>Timeouts and limits</summary>
        <SchemaFields resource="mcp-servers" body={advanced} draft={draft} onChange={setDraft} />
      </details>
      <ErrorBox error={probe.error ?? save.error} />
      <div className="row">
        <button type="button" disabled={probe.isPending} onClick={() => probe.mutate(input() as ProbeInput)}>
          {probe.isPending ? 'Testing…' : 'Test connection'}
        </button>
        <button type="submit" className="primary" disabled={save.isPending}>
          Save MCP server
        </button>
      </div>
      {probe.data ? <Capabilities probe={probe.data} label="What the server offers" /> : null}
    </form>
  );
}
