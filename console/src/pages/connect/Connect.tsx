import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useCanWrite } from '../../access/access';
import { api, unwrap } from '../../api/client';
import { currentDiscovery } from '../../auth/session';
import { CopyButton } from '../../ui/CopyButton';
import { ErrorBox } from '../../ui/ErrorBox';
import { Field } from '../../ui/Field';
import { useWrite } from '../../ui/useWrite';
import { proxyBase, virtualUrl } from '../mcp/urls';
import { SnippetList } from './SnippetList';
import { ciCurl, snippets } from './snippets';
import { VirtualServerConnect } from './VirtualServerConnect';

export default function Connect() {
  const discovery = currentDiscovery();
  const canIssue = useCanWrite('credentials');
  const profiles = useQuery({ queryKey: ['profiles'], queryFn: () => unwrap(api.GET('/profiles', { params: { query: { limit: 500 } } })) });
  const clients = useQuery({ queryKey: ['clients'], queryFn: () => unwrap(api.GET('/clients', { params: { query: { limit: 500 } } })) });
  const clientName = new Map((clients.data?.items ?? []).map((c) => [c.id, c.name]));
  const accounts = useQuery({ queryKey: ['service-accounts'], queryFn: () => unwrap(api.GET('/service-accounts', { params: { query: { limit: 500 } } })) });
  const [profileId, setProfileId] = useState('');
  const [token, setToken] = useState<string | null>(null);
  const [accountId, setAccountId] = useState('');
  const profile = profiles.data?.items.find((p) => p.id === profileId);
  const issue = useWrite(
    () => unwrap(api.POST('/profiles/{profileId}/credentials', { params: { path: { profileId } }, body: {} })),
    (out) => setToken(out.token),
    'Issued a credential into the configurations below.',
  );
  const gatewayMcp = `${proxyBase()}/mcp`;
  const headers: Record<string, string> = profile
    ? {
        Authorization: `Bearer ${token ?? '<credential of this profile>'}`,
        'X-Client-ID': profile.clientId,
        'X-Profile-ID': profile.id,
      }
    : {};
  const account = accounts.data?.items.find((a) => a.id === accountId) ?? accounts.data?.items[0];
  return (
    <>
      <h1>Connect your AI client</h1>
      <h2>Gateway MCP: your published APIs as tools</h2>
      <p>
        URL: <code data-testid="gateway-mcp-url">{gatewayMcp}</code>. It acts with a consumer credential: choose the profile it calls as.
      </p>
      <ErrorBox error={profiles.error ?? issue.error} />
      <div className="row">
        <Field label="Profile">
          {(id) => (
            <select
              id={id}
              value={profileId}
              onChange={(e) => {
                setProfileId(e.target.value);
                setToken(null);
              }}
            >
              <option value="">(choose a profile)</option>
              {profiles.data?.items.map((p) => (
                <option key={p.id} value={p.id}>
                  {clientName.get(p.clientId) ?? p.clientId} — {p.name} ({p.authType})
                </option>
              ))}
            </select>
          )}
        </Field>
        {profile && canIssue && profile.authType === 'token' && !token ? (
          <button type="button" onClick={() => issue.mutate(undefined)}>
            Issue a credential for this configuration
          </button>
        ) : null}
      </div>
      {token ? <p role="status">A new credential is in the configurations below: copy it now, it will not be shown again.</p> : null}
      {profile ? (
        <p data-testid="profile-client">
          Calls as client <strong>{clientName.get(profile.clientId) ?? profile.clientId}</strong>, profile <strong>{profile.name}</strong>.
        </p>
      ) : null}
      <SnippetList
        items={snippets({
          name: 'gatehouse',
          url: gatewayMcp,
          headers,
          signIn: {
            url: `${gatewayMcp}?signin`,
            note: profile
              ? (profile.signInUsers ?? []).length > 0
                ? `Profile ${profile.name} lets these people sign in: ${(profile.signInUsers ?? []).join(', ')}.`
                : `To sign in as profile ${profile.name}, add your username to its Sign-in users.`
              : 'You pick among the profiles whose Sign-in users name you.',
          },
        })}
      />
      <VirtualServers />
      <h2>Management MCP: run this gateway from your assistant</h2>
      <p>
        URL: <code>{`${location.origin}/management/mcp`}</code>. No secret to paste: the client signs you in through Gatehouse (OAuth), and acts with your role.
      </p>
      <SnippetList items={snippets({ name: 'gatehouse-admin', url: `${location.origin}/management/mcp`, headers: {} })} />
      <h2>CI: a service account</h2>
      {accounts.data?.items.length ? (
        <>
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
          <pre>{ciCurl(discovery.tokenEndpoint, discovery.resource, account?.clientId ?? '')}</pre>
          <CopyButton value={ciCurl(discovery.tokenEndpoint, discovery.resource, account?.clientId ?? '')} label="Copy CI commands" />
        </>
      ) : (
        <p className="muted">No service account yet: create one under Access.</p>
      )}
    </>
  );
}

/** Each virtual MCP server: pick one, and see how people and headless agents connect to it. */
function VirtualServers() {
  const servers = useQuery({ queryKey: ['virtual-mcps'], queryFn: () => unwrap(api.GET('/virtual-mcps', { params: { query: { limit: 500 } } })) });
  const [slug, setSlug] = useState('');
  const items = servers.data?.items ?? [];
  const chosen = items.find((v) => v.slug === slug) ?? items.find((v) => v.published) ?? items[0];
  return (
    <>
      <h2>Virtual MCP servers: upstream MCP tools, curated</h2>
      <ErrorBox error={servers.error} />
      {chosen ? (
        <>
          <Field label="Virtual MCP server">
            {(id) => (
              <select id={id} value={chosen.slug} onChange={(e) => setSlug(e.target.value)}>
                {items.map((v) => (
                  <option key={v.id} value={v.slug}>
                    {v.name} ({v.published ? v.slug : `${v.slug}, draft`})
                  </option>
                ))}
              </select>
            )}
          </Field>
          <p>
            URL: <code data-testid="virtual-mcp-url">{virtualUrl(chosen.slug)}</code>
          </p>
          <VirtualServerConnect key={chosen.slug} slug={chosen.slug} url={virtualUrl(chosen.slug)} published={chosen.published} />
        </>
      ) : (
        <p className="muted">No virtual MCP server yet: build one under MCP → Virtual MCP servers.</p>
      )}
    </>
  );
}
