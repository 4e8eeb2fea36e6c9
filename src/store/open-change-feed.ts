import { type ChangeFeed, createLocalChangeFeed } from './change-feed.js';

export interface ChangeFeedSettings {
  redisUrl?: string | undefined;
  redisPrefix: string;
  databaseUrl?: string | undefined;
  databaseSchema?: string | undefined;
}

/**
 * The feed that reaches every node: Redis when configured, else PostgreSQL's LISTEN/NOTIFY, else this
 * process only. Each loads its client library only when chosen (a few MB of heap otherwise).
 */
export async function openChangeFeed(settings: ChangeFeedSettings, onError: (err: unknown) => void): Promise<ChangeFeed & { close(): Promise<void> }> {
  if (settings.redisUrl) {
    const { createRedisChangeFeed } = await import('./change-feed-redis.js');
    return createRedisChangeFeed({ url: settings.redisUrl, prefix: settings.redisPrefix, onError });
  }
  if (settings.databaseUrl) {
    const { createPostgresChangeFeed } = await import('./change-feed-postgres.js');
    return createPostgresChangeFeed({ url: settings.databaseUrl, ...(settings.databaseSchema ? { schema: settings.databaseSchema } : {}), onError });
  }
  return { ...createLocalChangeFeed(), close: async () => {} };
}
