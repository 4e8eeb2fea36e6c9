import { userInfo } from 'node:os';
import { GatehouseConfig, type GatehouseConfigInput } from '../core/index.js';
import type { OperationCall, Executor } from '../management/executor.js';
import { openManagementPlane } from './plane.js';

/** The management plane without listeners, for CLI commands run where the data directory is. */
export interface LocalPlane {
  executor: Executor;
  /** The call context of this CLI user: audited on channel `cli` under the OS user's name. */
  call: OperationCall;
  close(): Promise<void>;
}

/**
 * Opens the management plane where the data directory (or the database URL and key) is. Holding
 * those is admin power, so the CLI acts as a local admin; every change is still audited on channel
 * `cli` under the operating-system user's name, and reaches running nodes through the change feed.
 */
export async function openLocalPlane(input: GatehouseConfigInput): Promise<LocalPlane> {
  const plane = await openManagementPlane(GatehouseConfig.parse(input), () => {});
  const user = userInfo().username;
  return {
    executor: plane.executor,
    call: { principal: { subject: `local:${user}`, name: user, kind: 'user', groups: [] }, channel: 'cli', requestId: `cli-${process.pid}`, localAdmin: true },
    close: () => plane.close(),
  };
}
