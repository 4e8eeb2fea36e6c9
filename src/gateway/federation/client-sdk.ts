import type * as Sdk from '@modelcontextprotocol/client';
import { loadOnce } from '../../core/index.js';

/** The MCP client SDK's module. */
export type ClientSdk = typeof Sdk;

/**
 * The MCP client SDK, imported on first use: a node that never speaks to an upstream MCP server
 * never loads it (it is megabytes of heap). A failed import is retried by the next caller.
 */
export function loadClientSdk(): Promise<ClientSdk> {
  return sdk();
}
const sdk = loadOnce((): Promise<ClientSdk> => import('@modelcontextprotocol/client'));

/** The SDK, for code that runs only once its caller loaded it (a call under way, a connection being made). */
export function clientSdk(): ClientSdk {
  if (!sdk.value) throw new Error('the MCP client SDK was used before it was loaded (await loadClientSdk() first)');
  return sdk.value;
}

/** The SDK if it is loaded: without it, no error can be one of its errors, so a check of an error needs no load. */
export function loadedClientSdk(): ClientSdk | undefined {
  return sdk.value;
}
