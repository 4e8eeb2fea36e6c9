import { userInfo } from 'node:os';
import { GatehouseConfig, type GatehouseConfigInput } from '../core/index.js';
import type { CallContext } from '../management/executor.js';
import { Executor } from '../management/executor.js';
import { createRegistry } from '../management/registry.js';
import { type Database, openDatabase } from '../store/database.js';
import { checkMasterKey, loadMasterKey } from '../store/master-key.js';
import { migrate } from '../store/migrate.js';
import { openChangeFeed } from '../store/open-change-feed.js';
import { SecretBox } from '../store/secret-box.js';

export interface LocalPlane {
  database: Database;
  executor: Executor;
  /** The call context of this CLI user: audited on channel `cli` under the OS user's name. */
  call: CallContext;
  close(): Promise<void>;
}

/**
 * The management plane without listeners, for CLI commands run where the data directory is.
 * Holding the data directory (or the database URL and key) is admin power, so the CLI acts as a local admin;
 * every change is still audited on channel `cli` under the operating-system user's name.
 */
export async function openLocalPlane(input: GatehouseConfigInput): Promise<LocalPlane> {
  const config = GatehouseConfig.parse(input);
  const database = openDatabase({
    dataDir: config.dataDir,
    ...(config.databaseUrl ? { url: config.databaseUrl } : {}),
    ...(config.databaseSchema ? { pgSchema: config.databaseSchema } : {}),
  });
  try {
    await migrate(database);
    const secrets = new SecretBox(loadMasterKey(config.dataDir, config.secretKey).key);
    await checkMasterKey(database.db, secrets);
    // Changes made here reach running nodes the same way theirs reach each other.
    const changes = await openChangeFeed(config, () => {});
    const executor = new Executor({ database, registry: createRegistry({ openapiImport: config.openapiImport }), secrets, changes });
    const user = userInfo().username;
    return {
      database,
      executor,
      call: { principal: { subject: `local:${user}`, name: user, kind: 'user', groups: [] }, channel: 'cli', requestId: `cli-${process.pid}`, localAdmin: true },
      close: async () => {
        await changes.close();
        await database.close();
      },
    };
  } catch (err) {
    await database.close();
    throw err;
  }
}
