import { EventEmitter } from 'node:events';

/** One committed management change; the data plane recompiles its snapshot on it. */
export interface ConfigChange {
  resourceType: string;
  resourceId: string | null;
  action: string;
  at: string;
  /**
   * The audit sequence numbers of the change's entries (contiguous: written under the chain lock),
   * so a node can tell whether it has missed anything before it.
   */
  seq?: { first: number; last: number };
}

/** The rows a committed change wrote, as JSON travels: `[type\nid, row or null once deleted]`, and its audit entries' resource types. */
export interface SentWrites {
  rows: Array<[string, { type: string; id: string; data: string; version: number; created_at: string; updated_at: string } | null]>;
  types: string[];
}

/** Carries committed changes to every subscriber (this node now; other nodes through Redis or PostgreSQL later). */
export interface ChangeFeed {
  /** Tells this node's subscribers and the other nodes of a committed change (`sent`: the other nodes were told by `notifyStatement`). */
  publish(change: ConfigChange, sent?: boolean): void;
  /**
   * A PostgreSQL statement that, run in the change's own transaction, tells the other nodes of it at
   * commit (NOTIFY is transactional): it rides with the commit instead of a round trip of its own.
   * Absent: `publish` tells them. `writes`: the rows the change wrote, sent along when they fit, so the
   * other nodes need not read them back.
   */
  notifyStatement?(change: ConfigChange, writes?: SentWrites): string;
  subscribe(listener: (change: ConfigChange) => void): () => void;
  /**
   * Tells the other nodes (never this one) news that is no config change — an upstream MCP session's
   * notification, which a caller's stream on another node waits for. Best effort, at most once, small
   * (a message over `MAX_BROADCAST_BYTES` is not sent). Absent on a feed that reaches no other node.
   */
  broadcast?(topic: string, body: unknown): void;
  /** Hears what other nodes `broadcast` on `topic`. */
  onBroadcast?(topic: string, listener: (body: unknown) => void): () => void;
}

/** The largest broadcast, envelope included, in bytes of JSON: PostgreSQL's NOTIFY payload holds fewer than 8,000. */
export const MAX_BROADCAST_BYTES = 7_900;

/** The listeners of a feed's broadcasts, by topic. */
export function createBroadcastListeners(): { emit(topic: string, body: unknown): void; on(topic: string, listener: (body: unknown) => void): () => void } {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    emit: (topic, body) => emitter.emit(topic, body),
    on: (topic, listener) => {
      emitter.on(topic, listener);
      return () => emitter.off(topic, listener);
    },
  };
}

/** A broadcast's envelope as it travels, or null when its JSON is too large to send. */
export function broadcastPayload(from: string, topic: string, body: unknown): string | null {
  const payload = JSON.stringify({ from, broadcast: { topic, body } });
  return Buffer.byteLength(payload) > MAX_BROADCAST_BYTES ? null : payload;
}

/** The single-node feed: an in-process emitter. */
export function createLocalChangeFeed(): ChangeFeed {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    publish: (change) => emitter.emit('change', change),
    subscribe: (listener) => {
      emitter.on('change', listener);
      return () => emitter.off('change', listener);
    },
  };
}
