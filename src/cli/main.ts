#!/usr/bin/env node
import { supportedNode, unsupportedNodeMessage } from './node-version.js';
import { servesGateway } from './serves-gateway.js';

// Before any other module loads: on Node 20 the first one would fail with a bare SyntaxError.
if (!supportedNode(process.version)) {
  process.stderr.write(unsupportedNodeMessage(process.version));
  process.exit(1);
}

// `serve` loads only its own command (serve-program.ts); every other command loads the full CLI.
// Node/V8 flags and allocator settings belong to the deployment (Dockerfile, deploy/), not to this process.
if (servesGateway(process.argv.slice(2))) await import('./serve-program.js');
else await import('./program.js');
