#!/usr/bin/env node
import { applyServeRuntime, servesGateway } from './runtime-flags.js';

// Before the CLI's modules load: `serve` may re-execute this process, and what was loaded would be lost.
if (servesGateway(process.argv.slice(2))) {
  applyServeRuntime();
  await import('./serve-program.js');
} else await import('./program.js');
