import type { ReactNode } from 'react';
import { Link, useLocation } from 'wouter';
import { useAccess } from '../access/access';
import { resources, useApiDoc } from '../api/openapi-doc';
import { signOut } from '../auth/session';
import { titleOf } from '../resources/useResource';
import { useAnnouncement } from '../ui/toast';

/** Resources with a page of their own; every other one gets the generic pages. */
const CRAFTED = new Set([
  'collections',
  'proxies',
  'endpoints',
  'clients',
  'profiles',
  'credentials',
  'role-bindings',
  'service-accounts',
  'users',
  'audit-logs',
  'request-logs',
  'metrics',
  'mcp-servers',
  'virtual-mcps',
  'mcp-analytics',
  'approvals',
  'jobs',
]);

function NavLink({ href, children }: { href: string; children: ReactNode }) {
  const [location] = useLocation();
  const active = href === '/' ? location === '/' : location.startsWith(href);
  return (
    <Link href={href} aria-current={active ? 'page' : undefined}>
      {children}
    </Link>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const access = useAccess();
  const doc = useApiDoc();
  const generic = doc.data ? resources(doc.data).filter((r) => !CRAFTED.has(r.name)) : [];
  const said = useAnnouncement();
  // Held calls are hidden from roles scoped to other resource types (the gateway answers 403, src/management/authorize.ts): no link to a page that cannot load.
  const reachesApprovals = access.grants.some((g) => g.role === 'admin' || !g.scope.resourceTypes || g.scope.resourceTypes.includes('approvals'));
  return (
    <div className="shell">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header>
        <span className="brand">Gatehouse</span>
        <span className="who">
          Signed in as <strong data-testid="user">{access.user.name}</strong> ({access.role})
          {access.role === 'viewer' ? <span className="badge">read-only</span> : null}
        </span>
        <button type="button" onClick={() => void signOut()}>
          Sign out
        </button>
      </header>
      <nav aria-label="Main">
        <NavLink href="/">Overview</NavLink>
        <NavLink href="/catalog">Catalog</NavLink>
        <NavLink href="/clients">Clients</NavLink>
        <NavLink href="/mcp/servers">MCP servers</NavLink>
        <NavLink href="/mcp/virtual">Virtual MCP servers</NavLink>
        <NavLink href="/mcp/analytics">MCP analytics</NavLink>
        {reachesApprovals ? <NavLink href="/approvals">Approvals</NavLink> : null}
        {generic.map((r) => (
          <NavLink key={r.name} href={`/resources/${r.name}`}>
            {titleOf(r.name)}
          </NavLink>
        ))}
        <NavLink href="/request-logs">Request logs</NavLink>
        <NavLink href="/audit">Audit</NavLink>
        <NavLink href="/jobs">Jobs</NavLink>
        <NavLink href="/access">Access</NavLink>
        <NavLink href="/connect">Connect your AI client</NavLink>
      </nav>
      <main id="main">
        <p className="toast" role="status" aria-live="polite" data-testid="announcement">
          {said ? (
            <span className="said" key={said.at}>
              ✓ {said.text}
            </span>
          ) : null}
        </p>
        {children}
      </main>
    </div>
  );
}
