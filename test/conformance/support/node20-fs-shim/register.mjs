// Loaded with `node --import ./register.mjs`: the conformance suite imports `globSync` from `fs`,
// which Node 20 lacks, so its `fs` import is redirected to a module that adds it.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
