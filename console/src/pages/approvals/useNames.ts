import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';

/**
 * Names of the clients, workflows and people an approval points at, by id. An approver whose role
 * reaches only approvals cannot read them: the queue then shows the ids, as the approval stores them.
 */
export function useNames(): {
  client(id: string): string | undefined;
  workflow(id: string): string | undefined;
  /** A subject (`user:usr_…`, `service:sa_…`) as people know it: the username or the service account's name. */
  person(subject: string): string | undefined;
} {
  const clients = useQuery({
    queryKey: ['approval-names', 'clients'],
    retry: false,
    queryFn: () => unwrap(api.GET('/clients', { params: { query: { limit: 500 } } })),
  });
  const workflows = useQuery({
    queryKey: ['approval-names', 'workflows'],
    retry: false,
    queryFn: () => unwrap(api.GET('/workflows', { params: { query: { limit: 500 } } })),
  });
  const users = useQuery({
    queryKey: ['approval-names', 'users'],
    retry: false,
    queryFn: () => unwrap(api.GET('/users', { params: { query: { limit: 500 } } })),
  });
  const services = useQuery({
    queryKey: ['approval-names', 'service-accounts'],
    retry: false,
    queryFn: () => unwrap(api.GET('/service-accounts', { params: { query: { limit: 500 } } })),
  });
  return {
    person: (subject) => {
      // A decider is recorded by bare subject (`usr_…`), a caller with its kind (`user:usr_…`).
      const colon = subject.indexOf(':');
      const [kind, id] = colon === -1 ? ['user', subject] : [subject.slice(0, colon), subject.slice(colon + 1)];
      if (kind === 'user') return users.data?.items.find((u) => u.id === id)?.username;
      if (kind === 'service') return services.data?.items.find((s) => s.id === id)?.name;
      return undefined;
    },
    client: (id) => clients.data?.items.find((c) => c.id === id)?.name,
    workflow: (id) => workflows.data?.items.find((w) => w.id === id)?.name,
  };
}
