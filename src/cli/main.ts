#!/usr/bin/env node
import { applyServeRuntime, servesGateway } from './runtime-flags.js';

// Before the CLI's modules load: `serve` may re-execute this process, and what was loaded would be lost.
const serving = servesGateway(process.argv.slice(2));
if (serving) applyServeRuntime();
if (serving) await import('./serve-program.js');
else await import('./program.js');
