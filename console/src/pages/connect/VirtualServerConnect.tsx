import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { currentDiscovery } from '../../auth/session';
import { CopyButton } from '../../ui/CopyButton';
import { Field } from '../../ui/Field';
import { installLinks } from './install-links';
import { SnippetList } from './SnippetList';
import { headlessSnippets, headlessTokenCommand, snippets, TOKEN_VARIABLE } from './snippets';

/**
 * How to connect to one virtual MCP server: people sign in (OAuth snippets and one-click install
 * links for Cursor and VS Code), and headless agents send a service account's client-credentials
 * token, whose audience is this server.
 */
export function VirtualServerConnect({ slug, url, published }: { slug: string; url: string; published: boolean }) {
  const accounts = useQuery({ queryKey: ['service-accounts'], queryFn: () => unwrap(api.GET('/service-accounts', { params: { query: { limit: 500 } } })) });
  const [accountId, setAccountId] = useState('');
  const account = accounts.data?.items.find((a) => a.id === accountId) ?? accounts.data?.items[0];
  const links = installLinks(slug, url);
  const headless = { name: slug, url, tokenEndpoint: currentDiscovery().tokenEndpoint, clientId: account?.clientId ?? '<service account client id>' };
  const tokenCommand = headlessTokenCommand(headless);
  return (
    <section aria-label={`Connect to ${slug}`}>
      {published ? null : <p className="warn">Publish it first: a draft is not served.</p>}
      <h3>People: sign in with Gatehouse</h3>
      <p className="muted">Each person signs in with their Gatehouse account (OAuth); nothing secret goes in these files.</p>
      <p className="row">
        <a className="button" href={links.cursor} data-testid="install-cursor">
          Add to Cursor
        </a>
        <a className="button" href={links.vscode} data-testid="install-vscode">
          Add to VS Code
        </a>
      </p>
      <SnippetList items={snippets({ name: slug, url, headers: {} })} />
      <h3>Headless agents: a service account</h3>
      <p className="muted">
        An agent with no person to sign in uses a service account (Access → Service accounts) with a role, and on this server’s access list when it has one. It
        asks the token endpoint for a token for this server (client credentials, <code>resource</code> = its URL), which lasts minutes: fetch a new one for each
        run. Keep the secret in <code>GATEHOUSE_CLIENT_SECRET</code>; the token goes in <code>{TOKEN_VARIABLE}</code>.
      </p>
      {accounts.data?.items.length ? (
        <Field label="Service account">
          {(id) => (
            <select id={id} value={account?.id ?? ''} onChange={(e) => setAccountId(e.target.value)}>
              {accounts.data.items.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      ) : (
        <p className="muted">No service account yet: create one under Access.</p>
      )}
      <section aria-label="Token for a headless agent">
        <pre data-testid="headless-token-command">{tokenCommand}</pre>
        <CopyButton value={tokenCommand} label="Copy token command" />
      </section>
      <SnippetList items={headlessSnippets(headless)} />
    </section>
  );
}
