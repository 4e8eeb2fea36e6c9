import { buildProgram } from './build-program.js';

// main.ts loads this module once serve's runtime settings are in effect.
await buildProgram().parseAsync(process.argv);
