import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { broadcastPayload, type ChangeFeed, type ConfigChange, createBroadcastListeners, createLocalChangeFeed } from './change-feed.js';

export interface RedisChangeFeedOptions {
  url: string;
  prefix: string;
  onError?: (err: unknown) => void;
}

/**
 * Carries committed changes to every node through Redis pub/sub. The subscriber connection
 * resubscribes after a reconnect (ioredis does it) and then asks subscribers to rebuild once,
 * since changes published while it was away are lost.
 */
export function createRedisChangeFeed(opts: RedisChangeFeedOptions): ChangeFeed & { close(): Promise<void> } {
  const local = createLocalChangeFeed();
  const node = randomBytes(8).toString('hex');
  const channel = `${opts.prefix}config`;
  const publisher = new Redis(opts.url, { lazyConnect: false, maxRetriesPerRequest: 1 });
  const subscriber = new Redis(opts.url, { lazyConnect: false });
  for (const conn of [publisher, subscriber]) conn.on('error', (err) => opts.onError?.(err));
  subscriber.subscribe(channel).catch((err) => opts.onError?.(err));
  let connectedBefore = false;
  subscriber.on('ready', () => {
    if (connectedBefore) local.publish({ resourceType: '*', resourceId: null, action: 'resync', at: new Date().toISOString() });
    connectedBefore = true;
  });
  const broadcasts = createBroadcastListeners();
  subscriber.on('message', (_channel, payload: string) => {
    try {
      const { from, change, broadcast } = JSON.parse(payload) as { from: string; change?: ConfigChange; broadcast?: { topic: string; body: unknown } };
      if (from === node) return;
      // News on the same channel (one connection): not a change to apply.
      if (broadcast !== undefined) broadcasts.emit(String(broadcast.topic), broadcast.body);
      else if (change !== undefined) local.publish(change);
    } catch (err) {
      opts.onError?.(err);
    }
  });
  return {
    publish(change) {
      local.publish(change);
      publisher.publish(channel, JSON.stringify({ from: node, change })).catch((err) => opts.onError?.(err));
    },
    subscribe: local.subscribe,
    broadcast(topic, body) {
      const payload = broadcastPayload(node, topic, body);
      if (payload !== null) publisher.publish(channel, payload).catch((err) => opts.onError?.(err));
    },
    onBroadcast: broadcasts.on,
    async close() {
      subscriber.disconnect();
      publisher.disconnect();
    },
  };
}
