import { useMutation, useQueryClient } from '@tanstack/react-query';
import { announce } from './toast';

/**
 * A write that refreshes every cached read when it succeeds (the console's data is small) and
 * confirms itself in the status line (`done`: what to say; "Saved." by default).
 */
export function useWrite<I, O>(run: (input: I) => Promise<O>, onDone?: (out: O) => void, done: string | ((out: O) => string) = 'Saved.') {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: async (out) => {
      await queries.invalidateQueries();
      announce(typeof done === 'string' ? done : done(out));
      onDone?.(out);
    },
  });
}
