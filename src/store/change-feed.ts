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

/** Carries committed changes to every subscriber (this node now; other nodes through Redis or PostgreSQL later). */
export interface ChangeFeed {
  /** Tells this node's subscribers and the other nodes of a committed change (`sent`: the other nodes were told by `notifyStatement`). */
  publish(change: ConfigChange, sent?: boolean): void;
  /**
   * A PostgreSQL statement that, run in the change's own transaction, tells the other nodes of it at
   * commit (NOTIFY is transactional): it rides with the commit instead of a round trip of its own.
   * Absent: `publish` tells them.
   */
  notifyStatement?(change: ConfigChange): string;
  subscribe(listener: (change: ConfigChange) => void): () => void;
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
