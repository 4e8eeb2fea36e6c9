import { chosenServer, remoteTarget } from './remote/session.js';
import { configFromEnv } from './settings.js';
import { localTransport, remoteTransport, type Transport } from './transport.js';

/** The options every management command shares (global and its own). */
export interface ConnectFlags {
  server?: string;
  dataDir?: string;
  local?: boolean;
}

/**
 * Picks how a command reaches the management plane. Remote (the admin API, under the user's own
 * login or a CI service account) unless `--local`; bootstrap commands (`preferLocal`) stay local
 * unless a server is named explicitly (`--server`, GATEHOUSE_SERVER, or CI credentials).
 */
export async function connect(flags: ConnectFlags, opts: { preferLocal?: boolean } = {}, env: NodeJS.ProcessEnv = process.env): Promise<Transport> {
  const named = chosenServer(flags, env, false) !== undefined;
  const local = flags.local === true || (opts.preferLocal === true && !named);
  if (local) {
    // Loaded only here: remote commands never open a store.
    const { openLocalPlane } = await import('../node/local.js');
    return localTransport(await openLocalPlane(configFromEnv({ ...(flags.dataDir ? { dataDir: flags.dataDir } : {}) }, env)));
  }
  return remoteTransport(await remoteTarget(flags, env));
}
