import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import { ErrorBox } from '../../ui/ErrorBox';
import { when } from '../../ui/format';

type Via = { kind: 'entry' } | { kind: 'open' } | { kind: 'group'; group: string; idpName: string; signedInAt: string };

/** One reason in words: how the access list, or a group from the IdP, lets the person in. */
function reason(v: Via): string {
  if (v.kind === 'entry') return 'named on the access list';
  if (v.kind === 'open') return 'no access list: anyone with a role';
  return `through group ${v.group} (${v.idpName}, signed in ${when(v.signedInAt)})`;
}

/** Who may use a virtual server and why: an access-list entry, or a group they carried at their last sign-in through a trusted IdP. */
export function WhoHasAccess({ id }: { id: string }) {
  const view = useQuery({ queryKey: ['virtual-mcp-people', id], queryFn: () => unwrap(api.GET('/virtual-mcps/{id}/people', { params: { path: { id } } })) });
  const people = view.data?.people ?? [];
  return (
    <section aria-label="Who has access">
      <h2>Who has access</h2>
      <ErrorBox error={view.error} />
      {view.data ? (
        people.length === 0 ? (
          <p className="muted">Nobody yet.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>Person</th>
                <th>Access</th>
                <th>Role</th>
              </tr>
            </thead>
            <tbody>
              {people.map((p) => (
                <tr key={p.userId} data-testid="access-row">
                  <td>{p.username}</td>
                  <td>{p.access.map((v) => reason(v as Via)).join('; ')}</td>
                  <td>{p.roles.map((r) => `${r.role}, ${r.via.kind === 'entry' ? 'bound to them' : reason(r.via as Via)}`).join('; ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      ) : null}
    </section>
  );
}
