import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * oidc-provider keeps each request's Koa context in a module-level AsyncLocalStorage, entered with
 * `run()` per request. Where AsyncLocalStorage rests on async_hooks (Node 20 and 22), the first
 * `run()` turns async hooks on for the whole process and they stay on: every promise and async
 * resource of every proxied call afterwards pays for them, ~6 % more main-thread instructions per
 * call (callgrind, token + limit + log) after a single OAuth request. So the storage is disabled
 * again whenever no provider request is in flight; its next `run()` enables it again.
 */
export interface ProviderContextRelease {
  /** Runs one provider request, counted in flight until it settles. */
  around<T>(request: () => Promise<T>): Promise<T>;
}

/** Loads oidc-provider's storage; null (and nothing to release) if a later version moves it. */
async function providerStorage(): Promise<AsyncLocalStorage<unknown> | null> {
  try {
    const mod = (await import('oidc-provider/lib/helpers/als.js' as string)) as { default?: unknown };
    return mod.default instanceof AsyncLocalStorage ? mod.default : null;
  } catch {
    return null;
  }
}

// The storage is oidc-provider's, one per process, so the count of requests in flight must be too:
// with a count per provider, one node's last request would disable the storage under another
// node's request in the same process (tests, or two nodes embedded in one program).
let shared: Promise<ProviderContextRelease> | null = null;

/** The release for oidc-provider's request context storage (one per process, shared by every provider in it). */
export function createProviderContextRelease(): Promise<ProviderContextRelease> {
  shared ??= providerStorage().then((storage) => {
    let inFlight = 0;
    return {
      async around(request) {
        inFlight++;
        try {
          return await request();
        } finally {
          if (--inFlight === 0) storage?.disable();
        }
      },
    };
  });
  return shared;
}
