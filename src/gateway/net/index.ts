/** The door of the node's networking helpers the HTTP listeners and outbound callers share. */
export { deferContinue, sendContinue } from './expect-continue.js';
export { lingerThenClose } from './linger.js';
export { isPrivateAddress } from './outbound/address-policy.js';
export { OutboundClient } from './outbound/outbound-client.js';
export { OutboundError } from './outbound/outbound-error.js';
export { streamingFetch } from './outbound/streaming-fetch.js';
