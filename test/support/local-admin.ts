import { afterAll } from 'vitest';

/** A local administrator's call context, as the CLI's local mode gives the executor. */
export const LOCAL_ADMIN_CALL = {
  principal: { subject: 'local:test', name: 'test', kind: 'user' as const, groups: [] },
  channel: 'cli' as const,
  requestId: 't',
  localAdmin: true,
};

/** A list of cleanups run in reverse order once the file's tests are done (stores closed before their directories go). */
export function cleanupsAfterAll(): Array<() => Promise<void>> {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });
  return cleanups;
}
