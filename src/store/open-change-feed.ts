import { type ChangeFeed, createLocalChangeFeed } from './change-feed.js';
import { createPostgresChangeFeed } from './change-feed-postgres.js';
import { createRedisChangeFeed } from './change-feed-redis.js';

export interface ChangeFeedSettings {
  redisUrl?: string | undefined;
  redisPrefix: string;
  databaseUrl?: string | undefined;
  databaseSchema?: string | undefined;
}

/** The feed that reaches every node: Redis when configured, else PostgreSQL's LISTEN/NOTIFY, else this process only. */
export async function openChangeFeed(
  settings: ChangeFeedSettings,
  onError: (err: unknown) => void,
): Promise<ChangeFeed & { close(): Promise<void> }> {
  if (settings.redisUrl) return createRedisChangeFeed({ url: settings.redisUrl, prefix: settings.redisPrefix, onError });
  if (settings.databaseUrl) {
    return createPostgresChangeFeed({ url: settings.databaseUrl, ...(settings.databaseSchema ? { schema: settings.databaseSchema } : {}), onError });
  }
  return { ...createLocalChangeFeed(), close: async () => {} };
}
