import type * as Sdk from '@modelcontextprotocol/client';

/** The MCP client SDK's module. */
export type ClientSdk = typeof Sdk;

let loaded: ClientSdk | undefined;
let loading: Promise<ClientSdk> | undefined;

/**
 * The MCP client SDK, imported on first use: a node that never speaks to an upstream MCP server
 * never loads it (it is megabytes of heap). A failed import is retried by the next caller.
 */
export function loadClientSdk(): Promise<ClientSdk> {
  if (loaded) return Promise.resolve(loaded);
  loading ??= import('@modelcontextprotocol/client').then(
    (sdk) => {
      loaded = sdk;
      return sdk;
    },
    (err: unknown) => {
      loading = undefined;
      throw err;
    },
  );
  return loading;
}

/** The SDK, for code that runs only once its caller loaded it (a call under way, a connection being made). */
export function clientSdk(): ClientSdk {
  if (!loaded) throw new Error('the MCP client SDK was used before it was loaded (await loadClientSdk() first)');
  return loaded;
}

/** The SDK if it is loaded: without it, no error can be one of its errors, so a check of an error needs no load. */
export function loadedClientSdk(): ClientSdk | undefined {
  return loaded;
}
