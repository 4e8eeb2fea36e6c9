import { lazy, Suspense } from 'react';
import { Route, Router, Switch, useParams } from 'wouter';
import { Layout } from './Layout';

// Every page is its own chunk: the first load carries only the shell and the page it opens.
const Overview = lazy(() => import('../pages/overview/Overview'));
const Catalog = lazy(() => import('../pages/catalog/Catalog'));
const CollectionPage = lazy(() => import('../pages/catalog/CollectionPage'));
const ProxyPage = lazy(() => import('../pages/catalog/ProxyPage'));
const Clients = lazy(() => import('../pages/clients/Clients'));
const ClientPage = lazy(() => import('../pages/clients/ClientPage'));
const ProfilePage = lazy(() => import('../pages/clients/ProfilePage'));
const ResourceList = lazy(() => import('../resources/ResourceList'));
const ResourceItem = lazy(() => import('../resources/ResourceItem'));
const ResourceCreate = lazy(() => import('../resources/ResourceCreate'));
const NewWorkflow = lazy(() => import('../pages/workflows/NewWorkflow'));
const RequestLogs = lazy(() => import('../pages/logs/RequestLogs'));
const RequestLogPage = lazy(() => import('../pages/logs/RequestLogPage'));
const Audit = lazy(() => import('../pages/audit/Audit'));
const AuditEntryPage = lazy(() => import('../pages/audit/AuditEntryPage'));
const AccessPage = lazy(() => import('../pages/access/AccessPage'));
const Connect = lazy(() => import('../pages/connect/Connect'));
const McpServers = lazy(() => import('../pages/mcp/McpServers'));
const VirtualServers = lazy(() => import('../pages/mcp/VirtualServers'));
const VirtualBuilder = lazy(() => import('../pages/mcp/VirtualBuilder'));
const VirtualServerPage = lazy(() => import('../pages/mcp/VirtualServerPage'));
const McpAnalytics = lazy(() => import('../pages/mcp/Analytics'));
const Approvals = lazy(() => import('../pages/approvals/Approvals'));
const ApprovalPage = lazy(() => import('../pages/approvals/ApprovalPage'));
const Jobs = lazy(() => import('../pages/jobs/Jobs'));

/** A resource's create page; workflows start from a template picker. */
function NewResource() {
  const { resource } = useParams<{ resource: string }>();
  return resource === 'workflows' ? <NewWorkflow /> : <ResourceCreate />;
}

export function App() {
  return (
    <Router base="/console">
      <Layout>
        <Suspense fallback={<p className="loading">Loading…</p>}>
          <Switch>
            <Route path="/" component={Overview} />
            <Route path="/catalog" component={Catalog} />
            <Route path="/catalog/collections/:id" component={CollectionPage} />
            <Route path="/catalog/proxies/:id" component={ProxyPage} />
            <Route path="/clients" component={Clients} />
            <Route path="/clients/:id" component={ClientPage} />
            <Route path="/profiles/:id" component={ProfilePage} />
            <Route path="/resources/:resource" component={ResourceList} />
            <Route path="/resources/:resource/new" component={NewResource} />
            <Route path="/resources/:resource/:id" component={ResourceItem} />
            <Route path="/request-logs" component={RequestLogs} />
            <Route path="/request-logs/:id" component={RequestLogPage} />
            <Route path="/audit" component={Audit} />
            <Route path="/audit/:id" component={AuditEntryPage} />
            <Route path="/access" component={AccessPage} />
            <Route path="/connect" component={Connect} />
            <Route path="/mcp/servers" component={McpServers} />
            <Route path="/mcp/virtual" component={VirtualServers} />
            <Route path="/mcp/virtual/new" component={VirtualBuilder} />
            <Route path="/mcp/virtual/:id/edit" component={VirtualBuilder} />
            <Route path="/mcp/virtual/:id" component={VirtualServerPage} />
            <Route path="/mcp/analytics" component={McpAnalytics} />
            {/* A held call's error links here: `{admin base}/console/approvals/{id}` (src/node/data-plane.ts). */}
            <Route path="/approvals" component={Approvals} />
            <Route path="/approvals/:id" component={ApprovalPage} />
            <Route path="/jobs" component={Jobs} />
            <Route>
              <h1>Not found</h1>
            </Route>
          </Switch>
        </Suspense>
      </Layout>
    </Router>
  );
}
