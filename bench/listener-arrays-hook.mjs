// Preloaded (`--import`) into a gateway by bench/listener-arrays.mjs: counts each listener added to an
// emitter that already had one for that event, i.e. each time events.js makes a listener array, by
// the emitter's class and the event; SIGUSR2 prints the counts since the last print to stderr.
import { EventEmitter } from 'node:events';

const counts = new Map();
for (const name of ['on', 'addListener', 'prependListener']) {
  const original = EventEmitter.prototype[name];
  EventEmitter.prototype[name] = function (type, listener) {
    if (typeof this._events?.[type] === 'function') {
      const key = `${this.constructor?.name ?? '?'}:${String(type)}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return original.call(this, type, listener);
  };
}
process.on('SIGUSR2', () => {
  process.stderr.write(`listener-arrays ${JSON.stringify(Object.fromEntries(counts))}\n`);
  counts.clear();
});
