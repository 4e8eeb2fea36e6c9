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
  publish(change: ConfigChange): void;
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
