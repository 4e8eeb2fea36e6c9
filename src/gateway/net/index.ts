/** The door of the node's networking helpers the HTTP listeners and outbound callers share. */
export { deferContinue, sendContinue } from './expect-continue.js';
export { lingerThenClose } from './linger.js';
export { guardedLookup, isPrivateAddress } from './outbound-guard.js';
