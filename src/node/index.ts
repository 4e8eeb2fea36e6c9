export { type LocalPlane, openLocalPlane } from './local.js';
export { type RunningGatehouse, startGatehouse } from './start.js';
export { type RunningCluster, startCluster } from './cluster/primary.js';
export { type ClusterWorker, joinCluster } from './cluster/worker.js';
