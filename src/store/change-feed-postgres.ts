import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import {
  broadcastPayload,
  type ChangeFeed,
  type ConfigChange,
  createBroadcastListeners,
  createLocalChangeFeed,
  MAX_BROADCAST_BYTES,
  type SentWrites,
} from './change-feed.js';
import { loadPg } from './database.js';
import { attachSentWrites } from './write-journal.js';

const CHANNEL = 'gatehouse_config';

/** Text as a dollar-quoted literal, with a tag it does not contain (dollar quotes need no escaping, whatever the server's string settings). */
export function dollarQuoted(text: string): string {
  let tag = '$n$';
  // The literal ends where the tag first occurs: not inside the text, nor across its end (text `a$n` + `$n$`).
  while ((text + tag).indexOf(tag) !== text.length) tag = `$n${randomBytes(4).toString('hex')}$`;
  return `${tag}${text}${tag}`;
}
const RECONNECT_MS = 1_000;

export interface PostgresChangeFeedOptions {
  url: string;
  /** Nodes on different schemas of one database must not hear each other. */
  schema?: string;
  onError?: (err: unknown) => void;
}

/**
 * Carries committed changes to every node sharing one PostgreSQL through LISTEN/NOTIFY, on a
 * dedicated connection that reconnects by itself. A node ignores its own notifications: it has
 * already applied the change locally.
 */
export async function createPostgresChangeFeed(opts: PostgresChangeFeedOptions): Promise<ChangeFeed & { close(): Promise<void> }> {
  const local = createLocalChangeFeed();
  const broadcasts = createBroadcastListeners();
  const node = randomBytes(8).toString('hex');
  const channel = opts.schema ? `${CHANNEL}_${opts.schema}` : CHANNEL;
  let listener: pg.Client | undefined;
  let closed = false;
  const { Client, Pool } = loadPg();
  const notifier = new Pool({ connectionString: opts.url, max: 1 });
  notifier.on('error', (err) => opts.onError?.(err));

  // Until the server is back: a reconnect that fails tries again, so the feed never stays deaf.
  const reconnect = () => {
    if (!closed)
      setTimeout(
        () =>
          connect().catch((err) => {
            opts.onError?.(err);
            reconnect();
          }),
        RECONNECT_MS,
      ).unref();
  };
  const connect = async (): Promise<void> => {
    const client = new Client({ connectionString: opts.url, connectionTimeoutMillis: 2_000 });
    client.on('notification', (msg) => {
      if (!msg.payload) return;
      try {
        const { from, change, writes, broadcast } = JSON.parse(msg.payload) as {
          from: string;
          change?: ConfigChange;
          writes?: unknown;
          broadcast?: { topic: string; body: unknown };
        };
        if (from === node) return;
        // News on the same channel (one connection): not a change to apply.
        if (broadcast !== undefined) broadcasts.emit(String(broadcast.topic), broadcast.body);
        else if (change !== undefined) {
          // Sent with the commit by a node of this store: as trusted as the rows themselves.
          if (writes !== undefined) attachSentWrites(change, writes);
          local.publish(change);
        }
      } catch (err) {
        opts.onError?.(err);
      }
    });
    client.on('error', (err) => {
      opts.onError?.(err);
      client.end().catch(() => {});
      // Only an established listener reconnects here; a failed connect is retried by its caller.
      if (listener !== client) return;
      listener = undefined;
      reconnect();
    });
    // A server that closes the connection without an error (a restart) is a drop too.
    client.on('end', () => {
      if (listener !== client) return;
      listener = undefined;
      reconnect();
    });
    try {
      await client.connect();
      await client.query(`listen "${channel}"`);
    } catch (err) {
      client.end().catch(() => {});
      throw err;
    }
    listener = client;
    // A change may have been missed while disconnected: let subscribers rebuild once.
    local.publish({ resourceType: '*', resourceId: null, action: 'resync', at: new Date().toISOString() });
  };
  await connect();

  return {
    publish(change, sent) {
      local.publish(change);
      if (sent) return;
      const payload = JSON.stringify({ from: node, change });
      notifier.query('select pg_notify($1, $2)', [channel, payload]).catch((err) => opts.onError?.(err));
    },
    notifyStatement(change, writes) {
      let payload = JSON.stringify({ from: node, change });
      // NOTIFY refuses a payload of 8,000 bytes or more: rows that do not fit stay behind (the other nodes read them).
      if (writes !== undefined) {
        const withRows = JSON.stringify({ from: node, change, writes } satisfies { from: string; change: ConfigChange; writes: SentWrites });
        if (Buffer.byteLength(withRows) <= MAX_BROADCAST_BYTES) payload = withRows;
      }
      return `select pg_notify(${dollarQuoted(channel)}, ${dollarQuoted(payload)})`;
    },
    subscribe: local.subscribe,
    broadcast(topic, body) {
      const payload = broadcastPayload(node, topic, body);
      if (payload !== null) notifier.query('select pg_notify($1, $2)', [channel, payload]).catch((err) => opts.onError?.(err));
    },
    onBroadcast: broadcasts.on,
    async close() {
      closed = true;
      await listener?.end().catch(() => {});
      await notifier.end().catch(() => {});
    },
  };
}
