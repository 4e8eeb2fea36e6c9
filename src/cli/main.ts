#!/usr/bin/env node
import { servesGateway } from './serves-gateway.js';

// `serve` loads only its own command (serve-program.ts); every other command loads the full CLI.
// Node/V8 flags and allocator settings belong to the deployment (Dockerfile, deploy/), not to this process.
if (servesGateway(process.argv.slice(2))) await import('./serve-program.js');
else await import('./program.js');
