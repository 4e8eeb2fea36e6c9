export { type LocalPlane, openLocalPlane } from './local.js';
export { type RunningGatehouse, startGatehouse } from './start.js';
