import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';

/**
 * Names of the clients and workflows an approval points at, by id. An approver whose role reaches
 * only approvals cannot read them: the queue then shows the ids, as the approval stores them.
 */
export function useNames(): { client(id: string): string | undefined; workflow(id: string): string | undefined } {
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
  return {
    client: (id) => clients.data?.items.find((c) => c.id === id)?.name,
    workflow: (id) => workflows.data?.items.find((w) => w.id === id)?.name,
  };
}
