import { createHook } from 'node:async_hooks';

let pin: object | null = null;

function ignore(): void {}

/**
 * Keeps the hidden classes (V8 maps) of Node's `process.nextTick` queue entries alive for the life
 * of the process. nextTick builds each entry as `{ [async_id_symbol], [trigger_async_id_symbol],
 * [async_context_frame], callback, args }`, and V8 records the map it saw at each computed key only
 * weakly. When the gateway sits idle, no entry is alive, and V8's memory reducer runs full
 * collections that free maps with no live object; the next nextTick finds its recorded map gone,
 * and V8 marks those sites megamorphic for good. From then on every entry (several per proxied
 * call: node:http and streams defer their callbacks with nextTick) is built through the runtime:
 * measured, ~3.5 µs of main-thread CPU a call and 7–13 % of throughput, until the process restarts.
 * One real entry, never freed, keeps the maps alive. Node exports none of the entry's symbols (and
 * the context frame's is not the one timers or AsyncResource carry), so an init hook, on for this
 * one nextTick only, hands over the entry itself: the exact shape on every Node line.
 */
export function pinTickShape(): void {
  if (pin !== null) return;
  let entry: object | null = null;
  const hook = createHook({
    init(_id, type, _trigger, resource) {
      if (type === 'TickObject') entry ??= resource;
    },
  }).enable();
  try {
    process.nextTick(ignore);
  } finally {
    hook.disable();
  }
  pin = entry;
}

/** The pinned entry (null before pinTickShape): for tests. */
export function tickShapePin(): object | null {
  return pin;
}
