// Loaded with `node --import ./test/conformance/register.mjs`: on Node 20, maps the conformance
// suite's `fs` import to a module that adds `fs.globSync` (Node 22+). On newer Node it does nothing.
import fs from 'node:fs';
import { register } from 'node:module';

if (typeof fs.globSync !== 'function') register('./fs-loader.mjs', import.meta.url);
