import type { KyselyPlugin } from 'kysely';

/** A Kysely plugin counting the SELECT queries made through it: `reads` is the count so far (set it to 0 to start over). */
export function selectCounter(): { plugin: KyselyPlugin; reads: number } {
  const counter = {
    reads: 0,
    plugin: {
      transformQuery: (args) => {
        if (args.node.kind === 'SelectQueryNode') counter.reads++;
        return args.node;
      },
      transformResult: async (args) => args.result,
    } satisfies KyselyPlugin,
  };
  return counter;
}
