import { useMutation, useQueryClient } from '@tanstack/react-query';

/** A write that refreshes every cached read when it succeeds (the console's data is small). */
export function useWrite<I, O>(run: (input: I) => Promise<O>, onDone?: (out: O) => void) {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: async (out) => {
      await queries.invalidateQueries();
      onDone?.(out);
    },
  });
}
